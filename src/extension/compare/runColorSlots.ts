/**
 * Colour slots of compared runs, shared by the Compare view and the Compare panel so a run has
 * the same colour in both. A run keeps its slot while any comparison shows it; a run newly shown
 * takes the lowest free slot, so a handful of runs always get the most distinct colours.
 */
export class RunColorSlots {
  private readonly slots = new Map<string, number>();
  private readonly shownBy = new Map<string, Set<string>>();

  /** The slots of `uids` as `owner` now shows them; the owner's other runs are released. */
  assign(owner: string, uids: readonly string[]): number[] {
    const mine = new Set(uids);
    for (const uid of this.shownBy.get(owner) ?? []) {
      if (!mine.has(uid) && !this.isShownByOther(uid, owner)) this.slots.delete(uid);
    }
    this.shownBy.set(owner, mine);
    const used = new Set(this.slots.values());
    let next = 0;
    return uids.map((uid) => {
      let slot = this.slots.get(uid);
      if (slot === undefined) {
        while (used.has(next)) next++;
        slot = next;
        used.add(slot);
        this.slots.set(uid, slot);
      }
      return slot;
    });
  }

  release(owner: string): void {
    this.assign(owner, []);
    this.shownBy.delete(owner);
  }

  private isShownByOther(uid: string, owner: string): boolean {
    for (const [o, set] of this.shownBy) if (o !== owner && set.has(uid)) return true;
    return false;
  }
}
