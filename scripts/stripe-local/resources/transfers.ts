import { now } from "../clock.ts";
import { invalidParam, invalidRequest, noSuch } from "../errors.ts";
import { newId } from "../ids.ts";
import { newestFirst, page } from "../list.ts";
import { mergeMetadata, optionalString, requiredInteger, requiredString } from "../params.ts";
import { api } from "../router.ts";
import type { BalanceWire, TransferWire } from "../types.ts";

export const transferRoutes = [
  /**
   * Seller payouts. Fails like Stripe when the platform's available balance is
   * short (balance_insufficient) or the seller's account cannot receive
   * transfers (onboarding unfinished or payouts disabled). Retries with the
   * same Idempotency-Key get the first answer back (handled by the server).
   */
  api("POST", "/v1/transfers", ({ platform, body, request }) => {
    const amount = requiredInteger(body, "amount");
    if (amount < 1) throw invalidParam("amount", "Invalid positive integer", "parameter_invalid_integer");
    const currency = requiredString(body, "currency").toLowerCase();
    if (currency !== "usd") throw invalidParam("currency", "The local Stripe server's platform balance is in usd only.");
    const destinationId = requiredString(body, "destination");
    const destination = platform.accounts.get(destinationId);
    if (!destination) throw invalidRequest(`No such destination: '${destinationId}'`, { code: "resource_missing", param: "destination" });
    if (destination.capabilities?.transfers !== "active") {
      throw invalidRequest(
        "Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments",
        { code: "insufficient_capabilities_for_transfer", param: "destination" },
      );
    }
    if (platform.balance < amount) {
      throw invalidRequest(
        "You have insufficient available funds in your Stripe account. Try adding funds directly to your available balance by creating Charges using the 4000000000000077 test card.",
        { code: "balance_insufficient" },
      );
    }
    platform.balance -= amount;
    const id = newId("tr_");
    const transfer: TransferWire = {
      id,
      object: "transfer",
      amount,
      amount_reversed: 0,
      balance_transaction: newId("txn_"),
      created: now(),
      currency,
      description: optionalString(body, "description") ?? null,
      destination: destination.id,
      destination_payment: newId("py_"),
      livemode: false,
      metadata: mergeMetadata({}, body),
      reversals: { object: "list", data: [], has_more: false, url: `/v1/transfers/${id}/reversals` },
      reversed: false,
      source_transaction: null,
      source_type: "card",
      transfer_group: optionalString(body, "transfer_group") ?? null,
    };
    platform.transfers.set(id, transfer);
    platform.emit("transfer.created", transfer, { request });
    return transfer;
  }),
  api("GET", "/v1/transfers/:id", ({ platform, params }) => {
    const transfer = platform.transfers.get(params.id!);
    if (!transfer) throw noSuch("transfer", params.id!);
    return transfer;
  }),
  api("GET", "/v1/transfers", ({ platform, body }) => {
    const destination = optionalString(body, "destination");
    const group = optionalString(body, "transfer_group");
    const transfers = [...platform.transfers.values()].filter(
      (transfer) => (!destination || transfer.destination === destination) && (!group || transfer.transfer_group === group),
    );
    return page(newestFirst(transfers), "/v1/transfers", body);
  }),
  api("GET", "/v1/balance", ({ platform }): BalanceWire => ({
    object: "balance",
    available: [{ amount: platform.balance, currency: "usd", source_types: { card: platform.balance } }],
    livemode: false,
    pending: [{ amount: 0, currency: "usd", source_types: { card: 0 } }],
  })),
];
