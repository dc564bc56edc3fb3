/**
 * Runs of several workspace folders side by side (the Runs view, the Compare view and panel): a
 * run is named by its folder and its uid, since uids can repeat across folders (a copied folder).
 * A key is `<folder id>/<uid>`; with one folder a key is the uid itself, so a single-folder
 * workspace, and every caller that knows only uids, reads as it always did.
 */

export const KEY_SEPARATOR = '/';

export interface RunRef {
  folderId: string;
  uid: string;
}

export class RunKeys {
  /** `folderIds`: the workspace's folders in order; none contains the separator (see uniqueFolderId). */
  constructor(readonly folderIds: readonly string[]) {}

  /** True when runs of more than one folder can meet, so keys name the folder. */
  get multi(): boolean {
    return this.folderIds.length > 1;
  }

  key(folderId: string, uid: string): string {
    return this.multi ? `${folderId}${KEY_SEPARATOR}${uid}` : uid;
  }

  /**
   * The folder and uid a key names. A bare uid (from a caller that knows no folders: a link, a
   * test, another extension) names a run of the first folder. Undefined when no folder is open.
   */
  parse(key: string): RunRef | undefined {
    const first = this.folderIds[0];
    if (first === undefined) return undefined;
    if (this.multi) {
      const cut = key.indexOf(KEY_SEPARATOR);
      if (cut > 0) {
        const folderId = key.slice(0, cut);
        if (this.folderIds.includes(folderId)) return { folderId, uid: key.slice(cut + 1) };
      }
    }
    return { folderId: first, uid: key };
  }

  /** The uids of each folder among `keys`, each list in the order given; folders in workspace order. */
  group(keys: readonly string[]): Map<string, string[]> {
    const byFolder = new Map<string, string[]>(this.folderIds.map((id) => [id, []]));
    for (const key of keys) {
      const ref = this.parse(key);
      if (ref) byFolder.get(ref.folderId)!.push(ref.uid);
    }
    for (const [id, uids] of byFolder) if (uids.length === 0) byFolder.delete(id);
    return byFolder;
  }
}

/**
 * An id for a folder named `name` that none of `taken` has: its name (a slash, which would read as
 * the separator, replaced), then `name (2)`, `name (3)`… Ids of folders already open never change
 * when others are added or removed, so keys held by open views stay valid.
 */
export function uniqueFolderId(name: string, taken: ReadonlySet<string>): string {
  const base = name.replaceAll(KEY_SEPARATOR, '\u2215').trim() || 'folder';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const id = `${base} (${n})`;
    if (!taken.has(id)) return id;
  }
}
