import { describe, expect, it } from 'vitest'
import { withCurrent } from './choices'

describe('withCurrent', () => {
  const options = [{ value: 1, label: 'Sales' }]
  const label = (id: number) => `Queue #${id}`

  it('adds a saved choice the options lack, by its number', () => {
    expect(withCurrent(options, 7, label)).toEqual([...options, { value: 7, label: 'Queue #7' }])
  })

  it('leaves the options alone when the choice is among them or there is none', () => {
    expect(withCurrent(options, 1, label)).toBe(options)
    expect(withCurrent(options, null, label)).toBe(options)
  })
})
