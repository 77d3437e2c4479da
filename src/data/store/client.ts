/**
 * How the rest of the Worker talks to a dataset's object: the RPC stub of
 * `env.DATASET.getByName(sourceId)`, with a refusal the object threw
 * (NOT_FOUND, CONFLICT, ...) turned back into its `TesseraError`.
 */
import { fromRpcError } from "../../errors";
import type { DatasetNamespace } from "../types";
import type { Dataset } from "./dataset";

export type DatasetStub = DurableObjectStub<Dataset>;

export function datasetOf(datasets: DatasetNamespace, sourceId: string): DatasetStub {
  const stub = datasets.getByName(sourceId);
  return new Proxy(stub, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        try {
          // Called directly: on an RPC stub even `.apply` would be a remote method.
          return await (value as (...a: unknown[]) => Promise<unknown>)(...args);
        } catch (error) {
          throw fromRpcError(error);
        }
      };
    },
  });
}
