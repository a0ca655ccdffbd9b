import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { Agent, ClientLogSettings } from '../api/types'

const agentAnswer = vi.fn<() => Promise<Agent>>()
vi.mock('../api/staff', () => ({ meApi: { agent: () => agentAnswer(), sendClientLogs: vi.fn() } }))

const { useDesktopStore, AGENT_REFRESH_MS } = await import('./desktop')
const { clientLog } = await import('../clientlog')

function agent(clientLogSettings: ClientLogSettings, sidebar = ['dashboard', 'chat']): Agent {
  return { id: 2, kind: 'agent', username: 'mario.rossi', permissions: { sidebar }, client_log: clientLogSettings } as unknown as Agent
}

describe('desktop store', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    setActivePinia(createPinia())
    agentAnswer.mockReset()
  })

  afterEach(() => {
    useDesktopStore().reset()
    vi.useRealTimers()
  })

  it('knows the sidebar sections once the agent is loaded', async () => {
    agentAnswer.mockResolvedValue(agent({ enabled: false, level: 'ERROR' }))
    const desktop = useDesktopStore()
    expect(desktop.sidebar).toBeNull()
    desktop.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(desktop.sidebar).toEqual(['dashboard', 'chat'])
  })

  it('checks every minute, announces logging once when it is switched on, and configures the logger', async () => {
    agentAnswer.mockResolvedValue(agent({ enabled: false, level: 'ERROR' }))
    const desktop = useDesktopStore()
    desktop.start()
    await vi.advanceTimersByTimeAsync(0)
    expect(desktop.logNotice).toBeNull()
    expect(clientLog.settings.enabled).toBe(false)

    agentAnswer.mockResolvedValue(agent({ enabled: true, level: 'WARNING' }))
    await vi.advanceTimersByTimeAsync(AGENT_REFRESH_MS)
    expect(agentAnswer).toHaveBeenCalledTimes(2)
    expect(desktop.logNotice).toEqual({ enabled: true, level: 'WARNING' })
    expect(clientLog.settings).toEqual({ enabled: true, level: 'WARNING' })

    // Dismissed, it stays away while logging stays on.
    desktop.dismissNotice()
    await vi.advanceTimersByTimeAsync(AGENT_REFRESH_MS)
    expect(desktop.logNotice).toBeNull()

    // Switched off and on again: announced again.
    agentAnswer.mockResolvedValue(agent({ enabled: false, level: 'WARNING' }))
    await vi.advanceTimersByTimeAsync(AGENT_REFRESH_MS)
    expect(clientLog.settings.enabled).toBe(false)
    agentAnswer.mockResolvedValue(agent({ enabled: true, level: 'DEBUG' }))
    await vi.advanceTimersByTimeAsync(AGENT_REFRESH_MS)
    expect(desktop.logNotice).toEqual({ enabled: true, level: 'DEBUG' })
  })

  it('stops checking and logging when reset (signed out)', async () => {
    agentAnswer.mockResolvedValue(agent({ enabled: true, level: 'INFO' }))
    const desktop = useDesktopStore()
    desktop.start()
    await vi.advanceTimersByTimeAsync(0)
    desktop.reset()
    await vi.advanceTimersByTimeAsync(AGENT_REFRESH_MS * 3)
    expect(agentAnswer).toHaveBeenCalledTimes(1)
    expect(clientLog.settings.enabled).toBe(false)
    expect(desktop.logNotice).toBeNull()
  })
})
