/** A field-level problem, rendered in problem+json `errors`. */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * The one error type services throw on purpose. `code` is kebab-case and stable (it becomes the
 * problem `type`), `status` the HTTP status it maps to. Anything else that is thrown is a 500.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly errors: FieldError[] | undefined;

  constructor(code: string, status: number, message: string, options: { cause?: unknown; errors?: FieldError[] } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.errors = options.errors;
  }
}

export const badRequest = (message: string, errors?: FieldError[]) =>
  new AppError('validation-failed', 400, message, { errors });
export const notFound = (what: string) => new AppError('not-found', 404, `${what} not found`);
export const unauthorized = (message = 'missing or invalid credentials') => new AppError('unauthorized', 401, message);
