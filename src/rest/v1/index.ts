import { restRouter } from "../router";
import { assets } from "./assets";
import { datasetsRest } from "./datasets";
import { endpoints } from "./endpoints";

/** The public REST surface buyers and sellers call from their own code: metered calls and uploads. */
export const v1 = restRouter();

v1.route("/", endpoints);
v1.route("/", assets);
v1.route("/", datasetsRest);
