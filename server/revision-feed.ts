/**
 * RevisionFeed tells the workspace event streams (server/routes/events.ts) that a
 * workspace's revision moved: the change transaction publishes after it committed, so a
 * listener always reads a committed revision. In process only; listeners are called
 * synchronously and must not throw.
 */
export class RevisionFeed {
  private readonly listeners = new Map<number, Set<(revision: number) => void>>();

  /** subscribe calls `listener` with each new revision of workspace `workspaceId`; the returned function unsubscribes. */
  subscribe(workspaceId: number, listener: (revision: number) => void): () => void {
    let set = this.listeners.get(workspaceId);
    if (!set) this.listeners.set(workspaceId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(workspaceId);
    };
  }

  /** publish hands the committed `revision` of `workspaceId` to its listeners. */
  publish(workspaceId: number, revision: number): void {
    for (const listener of [...(this.listeners.get(workspaceId) ?? [])]) listener(revision);
  }

  /** size is how many listeners are subscribed, over all workspaces (tests: a closed stream leaves none behind). */
  get size(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}
