// What the agent was typing in each conversation, kept while he switches
// tabs (the view is made anew for each tab) and dropped with the tab.

export interface Draft {
  text: string
  /** Writing an internal note rather than a reply. */
  note: boolean
}

const drafts = new Map<number, Draft>()

export function getDraft(interactionId: number): Draft {
  return drafts.get(interactionId) ?? { text: '', note: false }
}

export function saveDraft(interactionId: number, draft: Draft) {
  if (!draft.text && !draft.note) drafts.delete(interactionId)
  else drafts.set(interactionId, { ...draft })
}

export function dropDraft(interactionId: number) {
  drafts.delete(interactionId)
}
