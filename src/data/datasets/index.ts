export { deleteDataset, removeDataSource } from "./delete";
export { checkBytes, datasetLimits, defaultDatasetLimits, type DatasetLimits } from "./limits";
export type { DatasetFormat } from "./rows";
export type { UploadBody } from "./text";
export {
  abortUpload,
  completeUpload,
  createDataset,
  sendPart,
  startUpload,
  uploadProgress,
  type BodyInfo,
  type CreateDatasetInput,
  type UploadOptions,
} from "./upload";
