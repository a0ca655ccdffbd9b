import { describe, expect, it } from 'vitest'
import { createSerialSaver } from './serial'

describe('serial saver', () => {
  it('sends one save at a time and only the last of the waiting ones', async () => {
    const sent: number[][] = []
    const releases: (() => void)[] = []
    const saver = createSerialSaver(
      (ids: number[]) =>
        new Promise<number[]>((resolve) => {
          sent.push(ids)
          releases.push(() => resolve(ids))
        }),
    )
    const shown: number[][] = []
    saver.onSaved((answer) => shown.push(answer))

    const done = saver.save([1])
    saver.save([1, 2])
    saver.save([1, 2, 3])
    expect(sent).toEqual([[1]])
    releases[0]!()
    await Promise.resolve()
    await Promise.resolve()
    expect(sent).toEqual([[1], [1, 2, 3]])
    releases[1]!()
    await done
    // The first answer was already outdated when it came, so only the last is shown.
    expect(shown).toEqual([[1, 2, 3]])
    expect(saver.busy).toBe(false)
  })

  it('reports a failure and goes on with the next value', async () => {
    let call = 0
    const saver = createSerialSaver((v: string) => (call++ === 0 ? Promise.reject(new Error('no')) : Promise.resolve(v)))
    const failed: string[] = []
    const saved: string[] = []
    saver.onFailed((_err, v) => failed.push(v))
    saver.onSaved((a) => saved.push(a))
    await saver.save('a')
    await saver.save('b')
    expect(failed).toEqual(['a'])
    expect(saved).toEqual(['b'])
  })
})
