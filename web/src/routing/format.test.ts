import { describe, expect, it } from 'vitest'
import { formatDuration } from './format'

const t = (key: string, values: Record<string, unknown>) => `${values.n}${{ 'duration.days': 'd', 'duration.hours': 'h', 'duration.minutes': 'min', 'duration.seconds': 's' }[key]}`

describe('formatDuration', () => {
  it('uses the two largest units', () => {
    expect(formatDuration(0, t)).toBe('0s')
    expect(formatDuration(45, t)).toBe('45s')
    expect(formatDuration(60, t)).toBe('1min')
    expect(formatDuration(90, t)).toBe('1min 30s')
    expect(formatDuration(3600, t)).toBe('1h')
    expect(formatDuration(5400, t)).toBe('1h 30min')
    expect(formatDuration(86_400, t)).toBe('1d')
    expect(formatDuration(90_061, t)).toBe('1d 1h')
  })

  it('stops at the first unit missing rather than skip one', () => {
    expect(formatDuration(3605, t)).toBe('1h')
  })

  it('rounds fractions of a second and never goes below zero', () => {
    expect(formatDuration(12.6, t)).toBe('13s')
    expect(formatDuration(-3, t)).toBe('0s')
  })
})
