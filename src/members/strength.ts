import type { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { fieldError } from "../errors";

export const MIN_PASSWORD_LENGTH = 10;

/**
 * zxcvbn's score 3 of 4: about 10^8 guesses or more, "safely unguessable"
 * against an online attack and a slow offline one (our PBKDF2).
 */
const MIN_SCORE = 3;

/** Words of this site that make a password easy to guess here. */
const SITE_WORDS = ["tessera"];

// Built on first use, not at start-up: its dictionaries (the common passwords
// and English words) take a moment to rank, and most requests never set a password.
let estimator: Promise<ZxcvbnFactory> | undefined;

function strengthEstimator(): Promise<ZxcvbnFactory> {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, english] = await Promise.all([
      import("@zxcvbn-ts/core"),
      import("@zxcvbn-ts/language-common"),
      import("@zxcvbn-ts/language-en"),
    ]);
    return new ZxcvbnFactory({
      translations: english.translations,
      graphs: common.adjacencyGraphs,
      dictionary: { ...common.dictionary, ...english.dictionary },
    });
  })().catch((error: unknown) => {
    estimator = undefined;
    throw error;
  });
  return estimator;
}

/**
 * Refuses a password that is short or easy to guess (common passwords,
 * words, names, keyboard runs, repeats, sequences, dates, and the person's
 * own e-mail, name or company) with WEAK_PASSWORD and a message that says
 * what to do. Every place a password is set calls it.
 */
export async function checkPasswordStrength(password: string, personal: string[]): Promise<void> {
  const advice = "Try four or five random words, or let a password manager make one.";
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw fieldError("WEAK_PASSWORD", "password", `A password needs at least ${MIN_PASSWORD_LENGTH} characters. ${advice}`);
  }
  const inputs = [...SITE_WORDS, ...personal.flatMap((text) => [text, ...text.split(/[\s@.]+/)]).filter((word) => word.length >= 3)];
  const { score, feedback } = (await strengthEstimator()).check(password, inputs);
  if (score >= MIN_SCORE) return;
  const why = [feedback.warning, ...feedback.suggestions].filter(Boolean).join(" ");
  throw fieldError("WEAK_PASSWORD", "password", `This password is too easy to guess.${why ? ` ${why}` : ""} ${advice}`);
}
