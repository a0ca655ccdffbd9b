import type { Agent } from '../../api/types'

/** What the agent picker shows of an agent: who he is, and his picture. */
export type PickableAgent = Pick<Agent, 'id' | 'username' | 'full_name' | 'avatar_thumbnail_url'>
