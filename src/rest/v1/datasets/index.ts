import { restRouter } from "../../router";
import { complete } from "./complete";
import { remove } from "./delete";
import { get } from "./get";
import { list } from "./list";
import { part } from "./part";
import { start } from "./start";
import { upload } from "./upload";

/**
 * Hosted datasets over REST, for sellers' scripts. The file is the raw
 * request body, streamed into the dataset's object, never held whole:
 *
 * - `POST /v1/datasets?name=...&format=csv|json|ndjson` with the whole file
 *   (up to 100 MB, Cloudflare's body limit on Free and Pro plans);
 * - larger files in parts: `POST /v1/datasets/uploads?name=...` opens an
 *   upload, `PUT /v1/datasets/:id/parts/:n` appends part n (1, 2, ...; cut
 *   anywhere), `POST /v1/datasets/:id/complete` ends it;
 * - `GET /v1/datasets/:id` shows a dataset, or an upload's progress while it
 *   runs; `GET /v1/datasets` lists them; `DELETE /v1/datasets/:id` deletes one
 *   no product uses, or stops an upload.
 */
export const datasetsRest = restRouter();

// `/datasets/uploads` before `/datasets/{datasetId}`: a static segment is never an id.
datasetsRest.route("/", upload);
datasetsRest.route("/", start);
datasetsRest.route("/", list);
datasetsRest.route("/", get);
datasetsRest.route("/", part);
datasetsRest.route("/", complete);
datasetsRest.route("/", remove);
