// The messaging channels that have an interaction list on the agent
// desktop, in the sidebar's order. Each is one page made from the same
// component: a new channel is one more line here.

import type { AgentChannel, SidebarSection } from '../api/types'

export interface ChannelList {
  channel: AgentChannel
  /** The agent's sidebar section that shows it (permissions.sidebar). */
  sidebar: SidebarSection
  /** Route name and path below /desktop. */
  name: string
  path: string
  /** What the channel calls its entry points: a chat comes from a website, the others to an account. */
  entryPoint: 'website' | 'account'
}

export const CHANNEL_LISTS: readonly ChannelList[] = [
  { channel: 'chat', sidebar: 'chat', name: 'desktop-chat', path: 'chat', entryPoint: 'website' },
  { channel: 'whatsapp', sidebar: 'whatsapp', name: 'desktop-whatsapp', path: 'whatsapp', entryPoint: 'account' },
  { channel: 'email', sidebar: 'email', name: 'desktop-email', path: 'email', entryPoint: 'account' },
  { channel: 'sms', sidebar: 'sms', name: 'desktop-sms', path: 'sms', entryPoint: 'account' },
  { channel: 'openchannel', sidebar: 'openchannel', name: 'desktop-openchannel', path: 'open-channel', entryPoint: 'account' },
  { channel: 'fax', sidebar: 'fax', name: 'desktop-fax', path: 'fax', entryPoint: 'account' },
]

/** The entry-point word for a channel (null: every channel, the console's list). */
export function entryPointOf(channel: string | null): 'website' | 'account' {
  return CHANNEL_LISTS.find((c) => c.channel === channel)?.entryPoint ?? 'account'
}
