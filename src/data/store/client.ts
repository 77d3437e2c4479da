/**
 * How the rest of the Worker talks to a dataset's object: the RPC stub of
 * `env.DATASET.getByName(sourceId)`, with a refusal the object answered
 * (NOT_FOUND, CONFLICT, ...) thrown as its `TesseraError`.
 */
import { answerOf, type Refused } from "../../errors";
import type { DatasetNamespace } from "../types";
import type { Dataset } from "./dataset";

type Method =
  | "begin"
  | "resume"
  | "append"
  | "commit"
  | "finish"
  | "step"
  | "confirm"
  | "progress"
  | "shape"
  | "page"
  | "values"
  | "index"
  | "discard"
  | "retire"
  | "destroy";

export type DatasetStub = {
  [K in Method]: Dataset[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Exclude<Awaited<R>, Refused>> : never;
};

export function datasetOf(datasets: DatasetNamespace, sourceId: string): DatasetStub {
  const stub = datasets.getByName(sourceId);
  return new Proxy(stub, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      if (typeof value !== "function") return value;
      // Called directly: on an RPC stub even `.apply` would be a remote method.
      return (...args: unknown[]) => answerOf((value as (...a: unknown[]) => Promise<unknown>)(...args));
    },
  }) as unknown as DatasetStub;
}
