/** RFC 9457 problem details; extension members sit beside the standard ones. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code?: string;
  /** The request's X-Request-Id (set by the error filter): the key to its log lines. */
  request_id?: string;
  [extension: string]: unknown;
}

/** One invalid input: where it is (JSON pointer into the body, query or path) and what is wrong. */
export interface InvalidParam {
  in: 'body' | 'query' | 'path' | 'header';
  pointer: string;
  detail: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(status: number, fields: Partial<Problem> = {}): Problem {
  return { type: 'about:blank', title: TITLES[status] ?? 'Error', status, ...fields };
}
