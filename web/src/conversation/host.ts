// Where a conversation view gets its live conversation from. On the agent
// desktop the tabs store keeps one per tab on the desk's own socket
// (DesktopLayout provides it); anywhere else (the supervisor's spy view)
// the view makes its own, with its own realtime socket, for as long as it
// is on screen.

import { onBeforeUnmount, type InjectionKey } from 'vue'
import { ApiError } from '../api/api'
import { conversationApi } from '../api/conversation'
import { createRealtimeClient, type RealtimeClient } from '../realtime'
import { createConversation, type Conversation } from './conversation'

export interface ConversationHost {
  /** The live conversation of an interaction; the host keeps it up to date. */
  acquire(id: number): Conversation
  /** The view no longer shows it. */
  release(id: number): void
  /** The conversation is on screen with messages the caller has not read: mark it read (soon). */
  markRead(id: number): void
}

export const conversationHostKey: InjectionKey<ConversationHost> = Symbol('conversationHost')

/**
 * A host for one view outside the desktop: each conversation it hands out
 * has its own socket, closed when the view lets it go or unmounts.
 */
export function useStandaloneHost(): ConversationHost {
  const held = new Map<number, { conversation: Conversation; client: RealtimeClient }>()

  function release(id: number) {
    const h = held.get(id)
    if (!h) return
    h.client.stop()
    h.conversation.dispose()
    held.delete(id)
  }

  onBeforeUnmount(() => {
    for (const id of [...held.keys()]) release(id)
  })

  return {
    acquire(id) {
      const known = held.get(id)
      if (known) return known.conversation
      const conversation = createConversation(id, conversationApi)
      const client = createRealtimeClient({
        onEvent: (ev) => void conversation.handle(ev),
        // The first connection, or a gap the server could not replay: read it all again.
        onSync: () => void conversation.refresh().catch(() => {}),
      })
      client.start()
      held.set(id, { conversation, client })
      return conversation
    },
    release,
    markRead(id) {
      void held
        .get(id)
        ?.conversation.markRead()
        .catch((err: unknown) => {
          if (!(err instanceof ApiError)) throw err
        })
    },
  }
}
