import { describe, expect, it } from 'vitest'
import { fieldMessage, mergePatch } from './useAutosave'

describe('autosave helpers', () => {
  it('lays a partial change over the agent, nested objects merged and lists replaced', () => {
    const agent = {
      alias: 'Mario',
      channels: { chat: { capacity: 0, auto_answer: false }, sms: { capacity: 1, auto_answer: true } },
      permissions: { messenger: true, sidebar: ['dashboard', 'chat'] },
    }
    const next = mergePatch(agent, { channels: { chat: { capacity: 3 } }, permissions: { sidebar: ['dashboard'] } })
    expect(next).toEqual({
      alias: 'Mario',
      channels: { chat: { capacity: 3, auto_answer: false }, sms: { capacity: 1, auto_answer: true } },
      permissions: { messenger: true, sidebar: ['dashboard'] },
    })
    expect(agent.channels.chat.capacity).toBe(0) // untouched
  })

  it('finds the error of a field, however nested the server names it', () => {
    expect(fieldMessage({ extension: 'taken' }, 'extension')).toBe('taken')
    expect(fieldMessage({ 'channels.chat.capacity': 'too big' }, 'channels.chat.capacity')).toBe('too big')
    expect(fieldMessage({ capacity: 'too big' }, 'channels.chat.capacity')).toBe('too big')
    expect(fieldMessage({ 'channels.chat': 'bad' }, 'channels.chat.capacity')).toBeUndefined()
    expect(fieldMessage({ email: 'bad' }, 'alias')).toBeUndefined()
  })
})
