/** True for errors after which a connection must not go back to the pool. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 08xxx connection exceptions
  return (
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    (typeof code === 'string' && code.startsWith('08')) ||
    /Connection terminated|ECONNRESET|ECONNREFUSED|EPIPE|Client has encountered a connection error|not queryable/i.test(error.message)
  );
}
