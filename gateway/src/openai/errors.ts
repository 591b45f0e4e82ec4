// Errors in OpenAI's shape, `{"error": {"message", "type", "param", "code"}}`, so the official
// clients raise their usual exception classes. Statuses follow what those clients do with them:
// they retry 429 and 5xx, never 402, so running out of credits is 402 (retrying cannot help).

export type ErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "insufficient_quota"
  | "rate_limit_error"
  | "not_found_error"
  | "server_error"
  | "service_unavailable";

export class GatewayError extends Error {
  override name = "GatewayError";
  readonly status: number;
  readonly type: ErrorType;
  readonly code: string | null;
  readonly param: string | null;
  /** Extra response headers (e.g. `retry-after`). */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    type: ErrorType,
    message: string,
    options: { code?: string; param?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.type = type;
    this.code = options.code ?? null;
    this.param = options.param ?? null;
    this.headers = options.headers ?? {};
  }

  toBody() {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export const badRequest = (message: string, param?: string, code = "invalid_value") =>
  new GatewayError(400, "invalid_request_error", message, { param, code });

export const unsupportedParameter = (param: string) =>
  new GatewayError(
    400,
    "invalid_request_error",
    `Unsupported parameter: '${param}' is not supported by this gateway.`,
    {
      param,
      code: "unsupported_parameter",
    },
  );

export const invalidApiKey = (message: string) =>
  new GatewayError(401, "authentication_error", message, { code: "invalid_api_key" });

export const insufficientCredits = (message: string) =>
  new GatewayError(402, "insufficient_quota", message, { code: "insufficient_credits" });

export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new GatewayError(429, "rate_limit_error", message, {
    code: "rate_limit_exceeded",
    headers: { "retry-after": String(retryAfterSeconds) },
  });

export const modelNotFound = (model: string) =>
  new GatewayError(404, "not_found_error", `The model '${model}' does not exist on this gateway.`, {
    param: "model",
    code: "model_not_found",
  });

export const notFound = (what: string) =>
  new GatewayError(404, "not_found_error", `${what} was not found.`, { code: "not_found" });

export const modelLoading = (message: string) =>
  new GatewayError(503, "service_unavailable", message, { code: "model_loading", headers: { "retry-after": "5" } });

export const serverError = (message: string) =>
  new GatewayError(500, "server_error", message, { code: "server_error" });
