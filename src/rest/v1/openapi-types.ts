/**
 * The slice of OpenAPI 3.1 that Tessera's document uses, typed so a typo in
 * the document is a compile error. (A full OpenAPI types package would be a
 * dependency for a few dozen lines.)
 */

export type Ref = { $ref: string };

export type TypeName = "object" | "array" | "string" | "integer" | "number" | "boolean" | "null";

export interface Schema {
  type?: TypeName | TypeName[];
  description?: string;
  properties?: Record<string, Schema | Ref>;
  required?: string[];
  additionalProperties?: Schema | Ref | boolean;
  items?: Schema | Ref;
  enum?: (string | number | boolean)[];
  const?: string | number | boolean;
  format?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  oneOf?: (Schema | Ref)[];
  allOf?: (Schema | Ref)[];
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
  examples?: unknown[];
}

export interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  description?: string;
  required?: boolean;
  schema: Schema | Ref;
  style?: "form" | "simple" | "deepObject";
  explode?: boolean;
  example?: unknown;
}

export interface MediaType {
  schema: Schema | Ref;
  example?: unknown;
}

export interface Response {
  description: string;
  headers?: Record<string, { description: string; schema: Schema }>;
  content?: Record<string, MediaType>;
}

export interface RequestBody {
  description?: string;
  required?: boolean;
  content: Record<string, MediaType>;
}

export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: (Parameter | Ref)[];
  requestBody?: RequestBody;
  responses: Record<string, Response | Ref>;
  /** A curl line for the rendered reference page. */
  "x-example-curl"?: string;
}

export type PathItem = Partial<Record<"get" | "post" | "put" | "patch" | "delete", Operation>>;

export interface SecurityScheme {
  type: "apiKey";
  in: "header";
  name: string;
  description?: string;
}

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description?: string };
  servers?: { url: string; description?: string }[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, PathItem>;
  components: {
    schemas: Record<string, Schema>;
    parameters?: Record<string, Parameter>;
    responses?: Record<string, Response>;
    securitySchemes?: Record<string, SecurityScheme>;
  };
}

export const isRef = (x: object): x is Ref => "$ref" in x;
