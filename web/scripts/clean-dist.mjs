// Empties dist/ before a build but keeps dist/.gitkeep, which is committed so
// that `//go:embed all:dist` compiles before the first build.
import { readdirSync, rmSync } from 'node:fs'

const dist = new URL('../dist/', import.meta.url)

for (const entry of readdirSync(dist)) {
  if (entry !== '.gitkeep') {
    rmSync(new URL(entry, dist), { recursive: true, force: true })
  }
}
