package routing

import (
	"encoding/json"
	"fmt"
	"reflect"
	"time"
)

// The owner persists commands, not states: each applied command goes to a
// log with the time Apply used, and a snapshot is taken only now and then.
// A snapshot plus the commands logged after it, replayed in order at their
// times, gives back the state exactly, since Apply is deterministic given
// the state, the command and the time (the random source's position is in
// the snapshot).

// commandTypes names every command for the log. The names are part of the
// stored format: never rename one. A command type missing here cannot be
// logged (TestEveryCommandRoundTripsThroughTheLog finds it).
var commandTypes = map[string]Command{
	"upsert_queue":      UpsertQueue{},
	"remove_queue":      RemoveQueue{},
	"login":             Login{},
	"logout":            Logout{},
	"pause":             Pause{},
	"resume":            Resume{},
	"away":              Away{},
	"back":              Back{},
	"update_agent":      UpdateAgent{},
	"add_to_queue":      AddToQueue{},
	"remove_from_queue": RemoveFromQueue{},
	"enqueue":           Enqueue{},
	"accept":            Accept{},
	"reject":            Reject{},
	"close":             Close{},
	"transfer":          Transfer{},
	"tick":              Tick{},
	"start_outbound":    StartOutbound{},
}

// commandNames is commandTypes the other way round.
var commandNames = func() map[reflect.Type]string {
	m := map[reflect.Type]string{}
	for name, cmd := range commandTypes {
		m[reflect.TypeOf(cmd)] = name
	}
	return m
}()

// LoggedCommand is one applied command as the log keeps it: the command
// and the time Apply used for it.
type LoggedCommand struct {
	At      time.Time
	Command Command
}

type loggedCommandJSON struct {
	Type    string          `json:"type"`
	At      time.Time       `json:"at"`
	Command json.RawMessage `json:"command"`
}

// MarshalJSON writes {"type": ..., "at": ..., "command": {...}}.
func (c LoggedCommand) MarshalJSON() ([]byte, error) {
	name, ok := commandNames[reflect.TypeOf(c.Command)]
	if !ok {
		return nil, fmt.Errorf("routing: command %T has no log encoding", c.Command)
	}
	body, err := json.Marshal(c.Command)
	if err != nil {
		return nil, fmt.Errorf("routing: encode %s: %w", name, err)
	}
	return json.Marshal(loggedCommandJSON{Type: name, At: c.At, Command: body})
}

// UnmarshalJSON reads what MarshalJSON wrote.
func (c *LoggedCommand) UnmarshalJSON(data []byte) error {
	var raw loggedCommandJSON
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("routing: decode logged command: %w", err)
	}
	zero, ok := commandTypes[raw.Type]
	if !ok {
		return fmt.Errorf("routing: unknown command type %q in the log", raw.Type)
	}
	v := reflect.New(reflect.TypeOf(zero))
	if err := json.Unmarshal(raw.Command, v.Interface()); err != nil {
		return fmt.Errorf("routing: decode %s: %w", raw.Type, err)
	}
	c.At, c.Command = raw.At, v.Elem().Interface().(Command)
	return nil
}

// Replay applies a logged command again, at its time; its effects were
// already acted on the first time, so they are dropped. An error means the
// command was refused: the state is unchanged, as Apply promises.
func (s *State) Replay(c LoggedCommand) error {
	_, err := s.ApplyAt(c.At, c.Command)
	return err
}
