package strace

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestJSONWorkloads runs the oracle's workloads under `eproc trace -f -o
// TEXT --json-out JSON` and checks every JSON object against the schema in
// docs/json.md, and the JSON against the text of the same run: the same
// calls by the same threads with the same errors, the same signals and
// exits.
func TestJSONWorkloads(t *testing.T) {
	needRoot(t)
	bin := buildEproc(t)
	schema := readSchema(t)
	for _, w := range workloads {
		t.Run(w.name, func(t *testing.T) {
			dir := t.TempDir()
			argv := w.argv
			if w.setup != nil {
				argv = w.setup(t, dir)
			}
			txt, js := filepath.Join(dir, "trace.txt"), filepath.Join(dir, "trace.json")
			args := append([]string{bin, "trace", "-f", "-o", txt, "--json-out", js, "--"}, argv...)
			if code, _, stderr := runTracer(t, dir, args...); code != w.exit {
				t.Fatalf("exit %d, want %d; stderr:\n%s", code, w.exit, stderr)
			}
			text, err := os.ReadFile(txt)
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(js)
			if err != nil {
				t.Fatal(err)
			}
			objs := checkJSONLines(t, data, schema)
			compareJSONText(t, objs, string(text))
		})
	}
}

// schemaField is a row of docs/json.md's schema table.
type schemaField struct {
	typ      string
	required bool
}

// readSchema reads the table between <!-- schema --> and <!-- /schema -->:
// event -> field -> its type and whether it is required.
func readSchema(t *testing.T) map[string]map[string]schemaField {
	doc, err := os.ReadFile("../docs/json.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "<!-- schema -->")
	table, _, ok2 := strings.Cut(rest, "<!-- /schema -->")
	if !ok || !ok2 {
		t.Fatal("docs/json.md has no <!-- schema --> table")
	}
	cell := regexp.MustCompile(`(?:\\\||[^|])*`)
	schema := map[string]map[string]schemaField{}
	for _, line := range strings.Split(strings.TrimSpace(table), "\n")[2:] {
		var cells []string
		for _, c := range cell.FindAllString(strings.Trim(line, "|"), -1) {
			cells = append(cells, strings.ReplaceAll(strings.TrimSpace(c), `\|`, "|"))
		}
		if len(cells) < 4 {
			t.Fatalf("schema row %q: want event | field | type | required", line)
		}
		for _, ev := range strings.Fields(cells[0]) {
			if schema[ev] == nil {
				schema[ev] = map[string]schemaField{}
			}
			schema[ev][cells[1]] = schemaField{typ: cells[2], required: cells[3] == "yes"}
		}
	}
	if len(schema["syscall"]) < 5 || len(schema["*"]) != 1 {
		t.Fatalf("schema table too small: %v", schema)
	}
	return schema
}

// checkJSONLines checks each line: valid UTF-8, one JSON object, its
// fields those the schema gives its event, with their types; the last
// object is the end. It returns the objects.
func checkJSONLines(t *testing.T, data []byte, schema map[string]map[string]schemaField) []map[string]any {
	t.Helper()
	var objs []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if !utf8.Valid(line) {
			t.Fatalf("line %d is not UTF-8: %q", n, line)
		}
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber()
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil || dec.More() {
			t.Fatalf("line %d is not one JSON object (%v): %s", n, err, line)
		}
		if err := checkObject(obj, schema); err != nil {
			t.Errorf("line %d: %v: %s", n, err, line)
		}
		objs = append(objs, obj)
	}
	if len(objs) == 0 || objs[len(objs)-1]["event"] != "end" {
		t.Fatalf("the last object is not the end")
	}
	return objs
}

func checkObject(obj map[string]any, schema map[string]map[string]schemaField) error {
	ev, _ := obj["event"].(string)
	fields, ok := schema[ev]
	if !ok {
		return fmt.Errorf("event %q is not in the schema", ev)
	}
	for name, v := range obj {
		f, ok := fields[name]
		if !ok {
			f, ok = schema["*"][name]
		}
		if !ok {
			return fmt.Errorf("field %q of %s is not in the schema", name, ev)
		}
		if !typeIs(f.typ, v) {
			return fmt.Errorf("field %q of %s: %v is not %s", name, ev, v, f.typ)
		}
	}
	for name, f := range fields {
		if _, ok := obj[name]; f.required && !ok {
			return fmt.Errorf("%s has no %q", ev, name)
		}
	}
	return nil
}

func typeIs(typ string, v any) bool {
	switch typ {
	case "value":
		return true
	case "integer|null":
		return v == nil || typeIs("integer", v)
	case "integer":
		n, ok := v.(json.Number)
		_, err := n.Int64()
		return ok && err == nil
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "time":
		s, ok := v.(string)
		tm, err := time.Parse(time.RFC3339Nano, s)
		return ok && err == nil && tm.Location() == time.UTC && len(s) == len("2006-01-02T15:04:05.000000000Z")
	}
	return false
}

// compareJSONText checks that the JSON tells of the calls, signals and
// exits the text does: per thread, the same calls with the same outcome
// (an errno name, "?" for no return, or success), in any order (a call that
// blocked comes when it returns in JSON, when it began in the text).
func compareJSONText(t *testing.T, objs []map[string]any, text string) {
	t.Helper()
	var fromJSON, fromText []string
	for _, o := range objs {
		switch o["event"] {
		case "syscall":
			outcome := "ok"
			if e, ok := o["errno"].(string); ok {
				outcome = e
			} else if o["ret"] == nil {
				outcome = "?"
			}
			fromJSON = append(fromJSON, fmt.Sprintf("%v %v %s", o["tid"], o["syscall"], outcome))
		case "signal":
			fromJSON = append(fromJSON, fmt.Sprintf("%v --- %v", o["tid"], o["signal"]))
		case "stop": // the text's "--- stopped by SIGSTOP ---"
			fromJSON = append(fromJSON, fmt.Sprintf("%v --- stopped", o["tid"]))
		case "exit":
			fromJSON = append(fromJSON, fmt.Sprintf("%v +++", o["tid"]))
		}
	}
	tr := &trace{procs: map[string][]tline{}, names: map[int]string{}}
	for _, e := range tr.join(text) {
		switch e.kind {
		case 'c':
			fromText = append(fromText, fmt.Sprintf("%d %s %s", e.pid, e.name, textOutcome(e.raw)))
		case 's', 'x':
			fromText = append(fromText, fmt.Sprintf("%d %s", e.pid, e.name))
		}
	}
	if len(tr.other) > 0 {
		t.Errorf("text lines that fit no pattern: %q", tr.other)
	}
	slices.Sort(fromJSON)
	slices.Sort(fromText)
	if !slices.Equal(fromJSON, fromText) {
		t.Errorf("JSON and text differ:\n%s", diffKeys(fromText, fromJSON))
	}
	if len(fromJSON) < 10 {
		t.Errorf("only %d events", len(fromJSON))
	}
}

// textOutcome is a text line's outcome: the errno's name, "?" when the call
// did not return, "ok" otherwise.
func textOutcome(raw string) string {
	i := strings.LastIndex(raw, " = ")
	if i < 0 {
		return "?"
	}
	r := strings.Fields(raw[i+3:])
	switch {
	case len(r) >= 2 && (r[0] == "-1" || r[0] == "?"):
		return r[1]
	case len(r) >= 1 && r[0] == "?":
		return "?"
	}
	return "ok"
}
