package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

func TestCataloguesHaveTheSameKeys(t *testing.T) {
	en, it := map[string]bool{}, map[string]bool{}
	for _, k := range Keys("en") {
		en[k] = true
	}
	for _, k := range Keys("it") {
		it[k] = true
		if !en[k] {
			t.Errorf("%s is in Italian only", k)
		}
	}
	for k := range en {
		if !it[k] {
			t.Errorf("%s has no Italian translation", k)
		}
	}
}

// keyUse finds message keys in the calls that build client-facing errors.
var keyUse = regexp.MustCompile(`(?:apperr\.New\([^,]+,\s*|apperr\.Field\("[^"]*",\s*|\.Add\("[^"]*",\s*|Key:\s*)"([a-z_]+\.[a-z_.]+)"`)

// TestEveryKeyInTheCodeIsTranslated scans the Go sources, so a new error
// message cannot reach a client as a raw key.
func TestEveryKeyInTheCodeIsTranslated(t *testing.T) {
	known := map[string]bool{}
	for _, k := range Keys("en") {
		known[k] = true
	}
	var missing []string
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "web" || d.Name() == "e2e") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range keyUse.FindAllStringSubmatch(string(src), -1) {
			if !known[m[1]] {
				missing = append(missing, m[1]+" ("+path+")")
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("message keys without a translation:\n%s", strings.Join(missing, "\n"))
	}
}

func TestMatchFallsBackToEnglish(t *testing.T) {
	for in, want := range map[string]string{"it-IT,it;q=0.9": "it", "de-DE": "en", "": "en", "en-GB": "en"} {
		if got := Match(in); got != want {
			t.Errorf("Match(%q) = %s, want %s", in, got, want)
		}
	}
	if got := T("it", "number.range", 1, 5); got != "deve essere un numero intero da 1 a 5" {
		t.Fatalf("T: %s", got)
	}
	if got := T("en", "no.such.key"); got != "no.such.key" {
		t.Fatalf("unknown key: %s", got)
	}
}
