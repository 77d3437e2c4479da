export { createDataset, defaultDatasetLimits, type CreateDatasetInput, type DatasetLimits } from "./create";
export { deleteDataset, removeDataSource } from "./delete";
export type { DatasetFormat } from "./rows";
export type { UploadBody } from "./text";
