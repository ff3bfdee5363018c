// The V8 heap of a process started with `--inspect`, read through the DevTools protocol:
// RSS says how much memory the process holds, but a heap that grows after a full GC is what says "leak".

type Reply = { id?: number; result?: Record<string, unknown>; error?: { message: string } };

/** Used V8 heap after a full garbage collection, MiB; `url` is the ws:// address the inspector printed. */
export async function heapAfterGc(url: string): Promise<number> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  let nextId = 0;
  const call = (method: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = ++nextId;
      const onMessage = (event: MessageEvent) => {
        const reply = JSON.parse(String(event.data)) as Reply;
        if (reply.id !== id) return;
        socket.removeEventListener('message', onMessage);
        if (reply.error) reject(new Error(`${method}: ${reply.error.message}`));
        else resolve(reply.result ?? {});
      };
      socket.addEventListener('message', onMessage);
      socket.send(JSON.stringify({ id, method }));
    });
  try {
    await call('HeapProfiler.collectGarbage');
    const { usedSize } = await call('Runtime.getHeapUsage');
    return Number(usedSize) / 2 ** 20;
  } finally {
    socket.close();
  }
}
