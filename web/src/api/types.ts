// Shapes of the /api/v1 answers, as the backend sends them (snake_case).

export type PrincipalKind = 'admin' | 'user' | 'agent'

export interface Principal {
  id: number
  kind: PrincipalKind
  username: string
  full_name: string
  email: string
}

/** What a signed-in user may do per section of the console (admins: everything). */
export type Rights = Partial<Record<string, string[]>>

export interface Session {
  principal: Principal
  /** Per console section, the rights granted (view, read, edit, delete). */
  rights?: Rights
  csrf_token: string
  /** When this session began; null for callers without a session (API tokens). */
  login_at: string | null
  password_change_required: boolean
  password_expires_at: string | null
  password_expires_in_days: number | null
  password_expiry_warning: boolean
}

export interface PasswordRules {
  min_length: number
  lowercase: boolean
  uppercase: boolean
  digit: boolean
  /** The characters of which at least one must appear; empty when not required. */
  special: string
}

export interface AuthOptions {
  security_suite: boolean
  password_reset_available: boolean
  password_rules: PasswordRules | null
}

export interface SecuritySettings {
  enabled: boolean
  max_failed_logins: number
  password_max_age_days: number
  expiry_warning_days: number
  mask_characters: number
}

export interface ApiToken {
  id: number
  name: string
  prefix: string
  created_at: string
  created_by: string
  last_used_at: string | null
}

/** Answer of token creation: the only time the secret is shown. */
export interface CreatedApiToken {
  id: number
  name: string
  prefix: string
  token: string
  created_at: string
}

export type StaffKind = 'agent' | 'user'

/** The fields every staff member (agent or user) shows in the console. */
export interface Account {
  id: number
  kind: PrincipalKind
  username: string
  full_name: string
  email: string
  disabled: boolean
  locked: boolean
  /** Why the account is locked; empty when it is not. */
  lock_reason: string | null
  locked_at: string | null
  last_login_at: string | null
  password_changed_at: string | null
  created_at: string
  updated_at?: string
  deleted_at?: string | null
}

export interface Page<T> {
  items: T[]
  total: number
}

export type SortOrder = 'asc' | 'desc'

export interface ListQuery {
  q?: string
  sort?: string
  order?: SortOrder
  limit?: number
  offset?: number
}

export interface Named {
  id: number
  name: string
}

// --- agents -------------------------------------------------------------

/** The channels with per-agent settings (voice has none of these). */
export const AGENT_CHANNELS = ['chat', 'whatsapp', 'sms', 'email', 'openchannel', 'fax'] as const
export type AgentChannel = (typeof AGENT_CHANNELS)[number]

/** Queue channels: the agent channels and voice. */
export const QUEUE_CHANNELS = ['voice', ...AGENT_CHANNELS] as const
export type QueueChannel = (typeof QUEUE_CHANNELS)[number]

/** The agent desktop's sidebar sections an agent may be allowed to see. */
export const SIDEBAR_SECTIONS = [
  'dashboard',
  'contacts',
  'my_contacts',
  'voice_calls',
  'abandoned_calls',
  'recordings',
  'chat',
  'whatsapp',
  'email',
  'sms',
  'openchannel',
  'fax',
] as const
export type SidebarSection = (typeof SIDEBAR_SECTIONS)[number]

export const TYPOLOGIES = ['external', 'webrtc', 'phonebar'] as const
export type Typology = (typeof TYPOLOGIES)[number]

/** Client log levels, most severe first. */
export const LOG_LEVELS = ['ERROR', 'WARNING', 'INFO', 'DEBUG'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

export interface ChannelSettings {
  /** Concurrent interactions; 0 = unlimited. */
  capacity: number
  auto_answer: boolean
  /** Seconds before an auto-answered interaction is taken. */
  auto_answer_delay: number
  advanced_search: boolean
}

export interface AgentPermissions {
  messenger: boolean
  messenger_sound: boolean
  download_attachments: boolean
  download_transcripts: boolean
  sidebar: string[]
}

export interface ClientLogSettings {
  enabled: boolean
  level: LogLevel
}

export interface AgentQueue {
  id: number
  name: string
  channel: QueueChannel
  /** Direct membership, or through one of the agent's teams. */
  via: 'direct' | 'team'
}

export interface Agent extends Account {
  kind: 'agent'
  alias: string
  typology: Typology
  phone: string
  extension: string
  description: string
  login_in_pause: boolean
  mask_sensitive_data: boolean
  avatar_url: string | null
  avatar_thumbnail_url: string | null
  channels: Record<AgentChannel, ChannelSettings>
  permissions: AgentPermissions
  client_log: ClientLogSettings
  /** Absent in list answers. */
  teams?: Named[]
  queues?: AgentQueue[]
}

export interface NewAgent {
  username: string
  full_name: string
  password: string
  alias?: string
  typology?: Typology
  email?: string
  phone?: string
  extension?: string
  description?: string
  login_in_pause?: boolean
  mask_sensitive_data?: boolean
  /** Queues to add the new agent to directly; a user (supervisor) must give one of his. */
  queue_ids?: number[]
}

export interface AgentPatch {
  full_name?: string
  alias?: string
  typology?: Typology
  email?: string
  phone?: string
  extension?: string
  description?: string
  login_in_pause?: boolean
  disabled?: boolean
  mask_sensitive_data?: boolean
  channels?: Partial<Record<AgentChannel, Partial<ChannelSettings>>>
  permissions?: Partial<AgentPermissions>
  client_log?: Partial<ClientLogSettings>
}

export interface HistoryEvent {
  id: number
  at: string
  type: string
  actor: { id: number; username: string; full_name?: string } | null
  data: Record<string, unknown> | null
}

export interface ClientLogLine {
  at: string
  level: LogLevel
  message: string
}

// --- queues and teams ---------------------------------------------------

export interface Queue {
  id: number
  name: string
  channel: QueueChannel
}

export interface Team {
  id: number
  name: string
  description: string
  agent_count: number
  created_at: string
  updated_at: string
}

export interface TeamMember {
  id: number
  username: string
  full_name: string
}

/** A team read by id (normalizeTeam fills in the lists the server leaves out when empty). */
export interface TeamDetail extends Team {
  agents: TeamMember[]
  queue_ids: number[]
}

// --- users and user profiles --------------------------------------------

export interface UserAccount extends Account {
  kind: 'admin' | 'user'
  user_profile: Named | null
}

export interface NewUser {
  username: string
  full_name: string
  email: string
  kind: 'admin' | 'user'
  password: string
  user_profile_id: number | null
}

export interface UserPatch {
  full_name?: string
  email?: string
  kind?: 'admin' | 'user'
  user_profile_id?: number | null
  disabled?: boolean
}

/** The console sections a user profile grants rights on. */
export const PROFILE_SECTIONS = ['staff', 'agent_profiles', 'queues', 'channels', 'contacts', 'reports', 'realtime', 'settings'] as const
export type ProfileSection = (typeof PROFILE_SECTIONS)[number]

export const PROFILE_RIGHTS = ['view', 'read', 'edit', 'delete'] as const
export type ProfileRight = (typeof PROFILE_RIGHTS)[number]

export interface UserProfile {
  id: number
  name: string
  description: string
  rights: Rights
  queue_ids: number[]
  user_count: number
  created_at: string
  updated_at: string
}

export interface UserProfilePatch {
  name?: string
  description?: string
  rights?: Rights
  queue_ids?: number[]
}

// --- deleted members ----------------------------------------------------

export interface DeletedMember {
  id: number
  kind: PrincipalKind
  username: string
  full_name: string
  deleted_at: string
}

// --- routing: queue settings, agent profiles, pause reasons --------------

/** How a queue picks the agents it offers an interaction to. */
export const STRATEGIES = ['ring_all', 'round_robin', 'longest_idle', 'fewest_handled', 'random', 'linear'] as const
export type Strategy = (typeof STRATEGIES)[number]

/** What happens to an interaction that waited max_wait seconds. */
export const MAX_WAIT_ACTIONS = ['keep', 'move', 'close_unmanaged'] as const
export type MaxWaitAction = (typeof MAX_WAIT_ACTIONS)[number]

/** How an agent belongs to a queue: added to it, through a team, or through his agent profile. */
export const MEMBER_VIAS = ['direct', 'team', 'profile'] as const
export type MemberVia = (typeof MEMBER_VIAS)[number]

export interface QueueMember {
  id: number
  username: string
  full_name: string
  via: MemberVia
  /** Lower is offered first (0–100). */
  penalty: number
}

/** A queue with its routing settings (GET /queues/{id} adds the members). */
export interface QueueSettings extends Queue {
  description: string
  strategy: Strategy
  /** Seconds one offer lasts (5–86400). */
  agent_timeout: number
  /** Seconds an interaction may wait; 0 = no limit. */
  max_wait: number
  max_wait_action: MaxWaitAction
  max_wait_queue_id: number | null
  /** Higher is served first (-100–100). */
  priority: number
  created_at: string
  updated_at: string
  members: QueueMember[]
}

export type QueuePatch = Partial<
  Pick<QueueSettings, 'name' | 'description' | 'strategy' | 'agent_timeout' | 'max_wait' | 'max_wait_action' | 'max_wait_queue_id' | 'priority'>
>

export interface NewQueue extends QueuePatch {
  name: string
  channel: QueueChannel
}

export interface ProfileQueue {
  queue_id: number
  name?: string
  channel?: QueueChannel
  penalty: number
}

export interface AgentProfile {
  id: number
  name: string
  description: string
  enabled: boolean
  created_at: string
  updated_at: string
  agent_ids: number[]
  queues: ProfileQueue[]
  /** Agents logged in with it now. */
  in_use: number
}

export interface AgentProfilePatch {
  name?: string
  description?: string
  enabled?: boolean
  agent_ids?: number[]
  queues?: { queue_id: number; penalty: number }[]
  /** Disable it although agents are using it (they keep it until they log out). */
  confirm?: boolean
}

export interface PauseReason {
  id: number
  name: string
  description: string
  created_at: string
}

// --- catalogs (settings) ---------------------------------------------------

/** A label for contacts and interactions, shown in its colour. */
export interface Tag {
  id: number
  name: string
  /** "#rrggbb" */
  colour: string
  description: string
  created_at: string
  updated_at: string
}

export interface TagInput {
  name: string
  colour: string
  description: string
}

/** How an interaction ended, picked by the agent when wrapping it up. */
export interface Disposition {
  id: number
  name: string
  description: string
  /** null: global, for every account. */
  account_id: number | null
  created_at: string
  updated_at: string
}

export interface DispositionInput {
  name: string
  description: string
  /** null: global, for every account. */
  account_id: number | null
}

/** A prepared text agents insert in their replies. */
export interface CannedAnswer {
  id: number
  title: string
  body: string
  account_id: number | null
  created_at: string
  updated_at: string
}

export interface CannedAnswerInput {
  title: string
  body: string
  /** null: global, for every account. */
  account_id: number | null
}

/** A finer status for an open interaction; the built-in "Pending" can be neither renamed nor deleted. */
export interface SubStatus {
  id: number
  name: string
  description: string
  builtin: boolean
  created_at: string
  updated_at: string
}

export interface SubStatusInput {
  name: string
  description: string
}

// --- presence, offers and interactions ------------------------------------

/** An agent's login to routing (the work session, not the sign-in). */
export interface Presence {
  agent_id: number
  logged_in_at: string
  /** null: the Personal profile only. */
  profile_id: number | null
  profile_name: string
  paused: boolean
  /** null while paused: the default pause. */
  pause_reason_id: number | null
  pause_reason: string
  paused_at: string | null
}

export interface ChannelLoad {
  owned: number
  offered: number
}

/** An interaction offered to an agent until expires_at. */
export interface AgentOffer {
  interaction_id: number
  /** For a queue transfer, the target queue. */
  queue_id: number
  channel: QueueChannel | string
  offered_at?: string
  expires_at: string
  /** When auto-answer accepts it for the agent. */
  auto_accept_at?: string
  transfer?: boolean
}

export interface RoutingView {
  logged_in: boolean
  paused: boolean
  away: boolean
  /** Queue id → the agent's penalty in it. */
  active_queues: Record<string, number>
  offers: AgentOffer[]
  load: Record<string, ChannelLoad>
}

/** What the agent desktop starts from (GET /me/desk, and every presence action's answer). */
export interface Desk {
  presence: Presence | null
  /** His enabled agent profiles; "Personal" (profile_id null) is implicit. */
  profiles: Named[]
  pause_reasons: Named[]
  routing: RoutingView
  /** His active queues (those he works now), each with how many interactions wait in it. */
  queues: DeskQueue[]
  /** The server's clock when it answered: the clock skew is known before the first realtime event. */
  server_time?: string
}

/** One of the agent's active queues on his desk. */
export interface DeskQueue {
  id: number
  name: string
  channel: QueueChannel
  /** His penalty in it (it orders voice offers; lower first). */
  penalty: number
  /** Interactions waiting in it now. */
  waiting: number
}

export const INTERACTION_STATUSES = ['waiting', 'open', 'closed', 'closed_unmanaged'] as const
export type InteractionStatus = (typeof INTERACTION_STATUSES)[number]

export interface Interaction {
  id: number
  channel: QueueChannel | string
  queue_id: number | null
  subject: string
  status: InteractionStatus
  owner_id: number | null
  first_agent_id?: number | null
  priority?: number
  enqueued_at?: string
  created_at: string
  closed_at: string | null
  /** Who the customer is, when the channel says (a chat's form name). */
  contact_name?: string
}

/** A logged-in agent on the realtime screen. */
export interface LiveAgent extends Presence {
  username: string
  full_name: string
  routing: RoutingView
}

export interface QueueLive {
  queue_id: number
  waiting: number[]
  estimated_wait_seconds: number
  /** When the longest wait now in the queue began (server time); null: none waits. */
  longest_waiting_since: string | null
}

export interface LiveQueue extends QueueSettings {
  live: QueueLive
}

/** One login segment of an agent (report_member): data3/data4 are the profile's id and name. */
export interface MemberRow {
  id: number
  agent_id: number
  enter_at: string
  exit_at: string | null
  data3: string | null
  data4: string | null
}

// --- channel accounts: chat websites ---------------------------------------

/** A channel account (a chat website, a WhatsApp number…), as the selectors list them. */
export interface ChannelAccount {
  id: number
  channel: QueueChannel
  name: string
  enabled: boolean
}

/** A contact list (the contacts section), as the selectors list it. */
export interface ContactList {
  id: number
  name: string
  description: string
  created_at: string
  updated_at: string
}

export const FORM_FIELD_TYPES = ['text', 'email', 'phone', 'textarea', 'select'] as const
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number]

/** One field of a chat widget's pre-chat (online) or offline form. */
export interface WebsiteFormField {
  /** a-z, 0-9 and "_"; unique in its form. */
  name: string
  label: string
  type: FormFieldType
  required: boolean
  /** The choices of a select field; empty for the other types. */
  options: string[]
}

/** A chat website: a chat channel account with its widget. */
export interface Website {
  id: number
  channel: 'chat'
  name: string
  enabled: boolean
  queue_id: number | null
  default_list_id: number | null
  /** The agent must pick a disposition to close a chat. */
  mandatory_disposition: boolean
  /** The contact-manager trigger: a chat from an unknown visitor creates a contact in the default list. */
  create_contacts: boolean
  /** The key the embed snippet carries; rotating it breaks the existing embeds. */
  widget_key: string
  /** Origins (scheme://host[:port]) allowed to embed the widget. */
  allowed_origins: string[]
  title: string
  /** "#rrggbb" */
  colour: string
  online_form: WebsiteFormField[]
  offline_form: WebsiteFormField[]
  offline_message: string
  attachments_enabled: boolean
  /** 1 to 25 */
  max_attachment_mb: number
  created_at: string
  updated_at: string
}

/** What the edit page changes (PATCH takes any part of it). */
export type WebsiteInput = Omit<Website, 'id' | 'channel' | 'widget_key' | 'created_at' | 'updated_at'>

/** A new website: the server fills in the rest (key, title, colour, forms, message, attachments). */
export interface NewWebsite {
  name: string
  /** null: no queue yet (its chats are not offered until one is set). */
  queue_id: number | null
}
