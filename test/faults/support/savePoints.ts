/** The points of a save of changed pages where the save-points kill test stops its child (helpers/killedSave.ts). */
export const KILL_POINTS = ['journal-written', 'journal-linked', 'mid-apply', 'page-1-written', 'applied'] as const;
export type KillPoint = (typeof KILL_POINTS)[number];
