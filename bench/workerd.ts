/**
 * The workerd processes under a bench's `wrangler dev`, read from /proc: the
 * runtime of the Worker and its Durable Objects (the one with an inspector)
 * and the proxy on the public port. Only descendants of that wrangler dev,
 * never another one on the machine.
 */
import { readdirSync, readFileSync } from "node:fs";

function processes(): Map<number, { ppid: number; name: string }> {
  const out = new Map<number, { ppid: number; name: string }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      out.set(Number(entry), { ppid, name });
    } catch {}
  }
  return out;
}

/** The runtime (`runtime`) and every workerd (`all`) under `devPid`. */
export function workerdPids(devPid: number): { runtime: number; all: number[] } {
  const procs = processes();
  const descends = (pid: number) => {
    for (let p = pid; p > 1; p = procs.get(p)?.ppid ?? 0) if (p === devPid) return true;
    return false;
  };
  const all = [...procs].filter(([pid, p]) => p.name.startsWith("workerd") && descends(pid)).map(([pid]) => pid);
  const runtimes = all.filter((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("--inspector-addr"));
  if (runtimes.length !== 1) throw new Error(`expected one workerd runtime under wrangler dev, found ${runtimes.length}`);
  return { runtime: runtimes[0]!, all };
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** CPU time (user + system) the processes have used, in milliseconds. */
export function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * TICK_MS;
}
