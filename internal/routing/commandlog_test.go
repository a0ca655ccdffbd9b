package routing

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	mathrand "math/rand"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/quick"
	"time"

	"github.com/switchboard-cc/switchboard/internal/clock"
)

// TestEveryCommandRoundTripsThroughTheLog finds every command type in the
// package's source (every type with an apply method) and checks that the
// log can encode it and gives it back unchanged, with its time: a new
// command without a log name fails here, not at a restart.
func TestEveryCommandRoundTripsThroughTheLog(t *testing.T) {
	declared := commandTypesInSource(t)
	if len(declared) < 17 {
		t.Fatalf("found only %d command types in the source: %v", len(declared), declared)
	}
	for _, name := range declared {
		found := false
		for typ := range commandNames {
			found = found || typ.Name() == name
		}
		if !found {
			t.Errorf("command %s has no name in commandTypes: it cannot be logged", name)
		}
	}
	if len(commandTypes) != len(declared) {
		t.Errorf("commandTypes has %d entries, the source %d command types", len(commandTypes), len(declared))
	}
	r := mathrand.New(mathrand.NewSource(1)) // testing/quick's generator
	at := time.Date(2026, 11, 21, 9, 30, 15, 123456789, time.UTC)
	for name, zero := range commandTypes {
		for range 20 {
			generated, ok := quick.Value(reflect.TypeOf(zero), r)
			if !ok {
				t.Fatalf("%s: cannot make a value", name)
			}
			v := reflect.New(generated.Type()).Elem() // settable
			v.Set(generated)
			nilEmptyMaps(v)
			in := LoggedCommand{At: at, Command: v.Interface().(Command)}
			data, err := json.Marshal(in)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var out LoggedCommand
			if err := json.Unmarshal(data, &out); err != nil {
				t.Fatalf("%s: %v in %s", name, err, data)
			}
			if !out.At.Equal(in.At) || !reflect.DeepEqual(out.Command, in.Command) {
				t.Fatalf("%s: %s came back as %+v at %v", name, data, out.Command, out.At)
			}
		}
	}
}

// nilEmptyMaps sets a struct's empty maps to nil, as the state treats
// them (and as omitempty encodes them).
func nilEmptyMaps(v reflect.Value) {
	if v.Kind() != reflect.Struct {
		return
	}
	for i := range v.NumField() {
		f := v.Field(i)
		switch {
		case f.Kind() == reflect.Map && f.Len() == 0 && f.CanSet():
			f.Set(reflect.Zero(f.Type()))
		case f.Kind() == reflect.Struct:
			nilEmptyMaps(f)
		}
	}
}

// commandTypesInSource lists the types that declare an apply method
// (the Command interface's), from the package's own files.
func commandTypesInSource(t *testing.T) []string {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Name.Name != "apply" || fn.Recv == nil || len(fn.Recv.List) != 1 {
				continue
			}
			if id, ok := fn.Recv.List[0].Type.(*ast.Ident); ok && id.Name != "State" {
				out = append(out, id.Name)
			}
		}
	}
	return out
}

func TestTheLogRefusesWhatItCannotRead(t *testing.T) {
	for _, data := range []string{`{"type":"teleport","at":"2026-11-21T09:00:00Z","command":{}}`,
		`{"type":"accept","at":"2026-11-21T09:00:00Z","command":{"agent_id":"x"}}`, `[1]`} {
		var c LoggedCommand
		if err := json.Unmarshal([]byte(data), &c); err == nil {
			t.Errorf("%s decoded as %+v", data, c)
		}
	}
	if _, err := json.Marshal(LoggedCommand{Command: &Accept{}}); err == nil {
		t.Error("a pointer command was encoded: the log names value types only")
	}
}

// TestReplayDecidesAsTheFirstTime replays a logged sequence, times
// included, onto the snapshot it started from.
func TestReplayDecidesAsTheFirstTime(t *testing.T) {
	clk := clock.NewFake(t0)
	s := New(clk, rand.NewPCG(3, 4))
	base := s.Snapshot()
	var log []LoggedCommand
	run := func(cmd Command) {
		t.Helper()
		if _, err := s.Apply(cmd); err != nil {
			t.Fatal(err)
		}
		data, err := json.Marshal(LoggedCommand{At: clk.Now(), Command: cmd})
		if err != nil {
			t.Fatal(err)
		}
		var c LoggedCommand
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatal(err)
		}
		log = append(log, c)
	}
	run(UpsertQueue{Queue{ID: 1, Channel: Chat, Strategy: Random, AgentTimeout: 20 * time.Second}})
	for a := int64(1); a <= 4; a++ {
		run(Login{AgentID: a, AgentConfig: AgentConfig{ActiveQueues: map[int64]int{1: 0}, Capacity: map[Channel]int{Chat: 1}}})
	}
	for i := int64(1); i <= 6; i++ {
		clk.Advance(7 * time.Second)
		run(Enqueue{InteractionID: i, QueueID: 1})
		clk.Advance(9 * time.Second)
		run(Tick{})
	}
	restored := New(clk, rand.NewPCG(9, 9))
	if err := restored.Restore(base); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour) // the replay must use the logged times, not the clock's
	for _, c := range log {
		if err := restored.Replay(c); err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
	}
	if got, want := mustJSON(t, restored.Snapshot()), mustJSON(t, s.Snapshot()); got != want {
		t.Fatalf("replayed state differs:\n%s\n%s", got, want)
	}
}
