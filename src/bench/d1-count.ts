/**
 * Bench only: counts the D1 queries the Worker makes, by wrapping its D1
 * bindings (`npm run bench` prints the count per metered call). Counted per
 * isolate, apart for the fetch handler and the queue consumers, so the
 * metered path and the feed that copies into D1 afterwards are told apart.
 */
export const d1Queries = { fetch: 0, queue: 0 };

type Counter = keyof typeof d1Queries;

function countingStatement(statement: D1PreparedStatement, counter: Counter): D1PreparedStatement {
  return new Proxy(statement, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      if (prop === "bind") return (...args: unknown[]) => countingStatement(value.apply(target, args) as D1PreparedStatement, counter);
      if (prop === "first" || prop === "all" || prop === "run" || prop === "raw") {
        return (...args: unknown[]) => {
          d1Queries[counter] += 1;
          return value.apply(target, args);
        };
      }
      return value.bind(target);
    },
  });
}

function countingDatabase(db: D1Database, counter: Counter): D1Database {
  return new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      if (prop === "prepare") return (sql: string) => countingStatement(target.prepare(sql), counter);
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) => {
          d1Queries[counter] += statements.length;
          return target.batch(statements);
        };
      }
      if (prop === "exec") {
        return (sql: string) => {
          d1Queries[counter] += 1;
          return target.exec(sql);
        };
      }
      return value.bind(target);
    },
  });
}

const counted = { fetch: new WeakMap<Env, Env>(), queue: new WeakMap<Env, Env>() };

/** The bindings with every D1 database counted, when BENCH is on; otherwise `env` itself. Wrapped once per `env`. */
export function benchEnv(env: Env, counter: Counter): Env {
  if (env.BENCH !== "1") return env;
  let wrapped = counted[counter].get(env);
  if (!wrapped) counted[counter].set(env, (wrapped = { ...env, DB: countingDatabase(env.DB, counter) }));
  return wrapped;
}
