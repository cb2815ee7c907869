package notice

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
)

var update = flag.Bool("update", false, "rewrite the golden readings in testdata/golden")

// corpusNotice is a notice with its hand-checked reading.
type corpusNotice struct {
	name, source, gold string
}

// corpus lists the notices in testdata/corpus and, when the shared corpus is
// next to the repository, those too.
func corpus(t testing.TB) []corpusNotice {
	return notices(t, "testdata/corpus", "../../shared/corpus")
}

// notices lists the notices with a gold reading in the folders' subfolders.
func notices(t testing.TB, dirs ...string) []corpusNotice {
	t.Helper()
	var out []corpusNotice
	for _, dir := range dirs {
		golds, _ := filepath.Glob(filepath.Join(dir, "*", "gold.json"))
		for _, g := range golds {
			d := filepath.Dir(g)
			srcs, _ := filepath.Glob(filepath.Join(d, "source.*"))
			if len(srcs) != 1 {
				continue
			}
			name := filepath.Base(d)
			if strings.HasPrefix(dir, "../") {
				name = "shared/" + name
			}
			out = append(out, corpusNotice{name: name, source: srcs[0], gold: g})
		}
	}
	if len(out) == 0 {
		t.Fatalf("no notices in %s", dirs[0])
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func mustReadGold(t testing.TB, path string) *duban.Reading {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var g duban.Reading
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &g
}

func mustReadFile(t testing.TB, path string) *duban.Reading {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Read(filepath.Base(path), data)
	if err != nil {
		t.Fatalf("Read(%s): %v", path, err)
	}
	return r
}

// TestCorpus reads every notice of the corpus and scores it against its
// gold: tasks and attributions exactly, targets at F1 ≥ 0.97, every section,
// area and unassigned statement found.
func TestCorpus(t *testing.T) {
	for _, n := range corpus(t) {
		t.Run(n.name, func(t *testing.T) {
			pred := mustReadFile(t, n.source)
			gold := mustReadGold(t, n.gold)
			s := scoreReading(pred, gold)
			t.Logf("%s: %s", n.name, s)
			if s.taskF1 < 1 {
				t.Errorf("task F1 = %.3f, want 1.000\nmissing: %s\nextra: %s", s.taskF1, strings.Join(s.missing, "\n  "), strings.Join(s.extra, "\n  "))
			}
			if s.attribution < 1 {
				t.Errorf("attribution = %.3f, want 1.000\n%s", s.attribution, strings.Join(s.attributionWrong, "\n"))
			}
			if s.numbered < 1 {
				t.Errorf("numbered = %.3f, want 1.000 (sections and areas follow the notice's own numbers)\n%s", s.numbered, strings.Join(s.numberWrong, "\n"))
			}
			if s.indF1 < 0.97 {
				t.Errorf("indicator F1 = %.3f, want ≥ 0.97", s.indF1)
			}
			if s.sectionsHit != s.sectionsGold || len(pred.Sections) != len(gold.Sections) {
				t.Errorf("sections %d/%d (read %d), want all", s.sectionsHit, s.sectionsGold, len(pred.Sections))
			}
			if s.areasHit != s.areasGold || len(pred.Areas) != len(gold.Areas) {
				t.Errorf("areas %d/%d (read %d), want all", s.areasHit, s.areasGold, len(pred.Areas))
			}
			if s.unassignedHit != s.unassignedGold || s.unassignedPred != s.unassignedGold {
				t.Errorf("unassigned %d/%d (read %d), want all", s.unassignedHit, s.unassignedGold, s.unassignedPred)
			}
			if pred.Document != gold.Document {
				t.Errorf("document = %+v, want %+v", pred.Document, gold.Document)
			}
		})
	}
}

// TestHeldOut scores the reading of real notices transcribed from the pages
// that published them (testdata/heldout), kept apart from the corpus the
// reader was built on. Every notice's figures are logged; the bar holds only
// for the notices that met it at their first run, as testdata/heldout/RECORD.md
// records, so that a notice the reader missed is reported without the reader
// being tuned to it; the bar includes the task numbers and the document
// fields, but for those a notice read wrongly at its first run. One judgement call is known to differ: names run together
// without a separator (区财政局区税务局) are kept as written and warned about,
// where the gold splits them.
func TestHeldOut(t *testing.T) {
	record := heldOutRecord(t, "testdata/heldout/RECORD.md")
	for _, n := range notices(t, "testdata/heldout") {
		t.Run(n.name, func(t *testing.T) {
			h, recorded := record[n.name]
			met := h.met
			if !recorded {
				t.Fatalf("%s has no first-run figures in testdata/heldout/RECORD.md: read it once and record them before anything else", n.name)
			}
			gold := mustReadGold(t, n.gold)
			pred, err := readNotice(n.source)
			if err != nil {
				if met {
					t.Fatalf("Read(%s): %v", n.source, err)
				}
				t.Logf("%s: not read: %v (below the bar at its first run: reported, not enforced)", n.name, err)
				return
			}
			s := scoreReading(pred, gold)
			t.Logf("%s: %s; document %s", n.name, s, documentDiff(pred.Document, gold.Document))
			if !met {
				t.Logf("%s was below the bar at its first run (RECORD.md): reported, not enforced", n.name)
				return
			}
			if s.taskF1 < 0.95 || s.attribution < 0.85 || s.indF1 < 0.95 || s.numbered < 0.95 {
				t.Errorf("below task F1 0.95, attribution 0.85, indicator F1 0.95, numbered 0.95\nmissing: %s\nextra: %s\n%s\n%s",
					strings.Join(s.missing, "; "), strings.Join(s.extra, "; "), strings.Join(s.attributionWrong, "\n"), strings.Join(s.numberWrong, "\n"))
			}
			for _, f := range documentFields(pred.Document, gold.Document) {
				// A field read wrongly at the first run is reported above,
				// not enforced, like the bar.
				if !h.wrongFields[f] {
					t.Errorf("document field %s read wrongly: %s", f, documentDiff(pred.Document, gold.Document))
				}
			}
		})
	}
}

// heldOut is what RECORD.md says of a held-out notice's first run: whether
// it met the bar, and which document fields it read wrongly then.
type heldOut struct {
	met         bool
	wrongFields map[string]bool
}

// heldOutRecord reads the table of RECORD.md: for each held-out notice,
// whether its first reading met the bar (last column "met") and, for a
// notice read at a true first run ("recorded" opens with "first run"), the
// document fields it got wrong then ("wrong: issuer, title").
func heldOutRecord(t *testing.T, path string) map[string]heldOut {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	record := map[string]heldOut{}
	for _, line := range strings.Split(string(data), "\n") {
		cells := strings.Split(strings.TrimSpace(line), "|")
		if len(cells) < 4 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		name := strings.Trim(strings.TrimSpace(cells[1]), "`")
		h := heldOut{met: strings.TrimSpace(cells[len(cells)-2]) == "met", wrongFields: map[string]bool{}}
		if firstRun := strings.HasPrefix(strings.TrimSpace(cells[2]), "first run"); firstRun && len(cells) >= 5 {
			if doc, ok := strings.CutPrefix(strings.TrimSpace(cells[len(cells)-3]), "wrong:"); ok {
				for _, f := range strings.Split(doc, ",") {
					h.wrongFields[strings.TrimSpace(f)] = true
				}
			}
		}
		record[name] = h
	}
	if len(record) == 0 {
		t.Fatalf("%s records no notice", path)
	}
	return record
}

// TestIncoming reads the real notices waiting in testdata/incoming, whose
// golds are written and whose first-run figures are recorded in its README,
// and logs how they read now. It holds them to no bar (they are what the
// reader is to be improved on); it fails only on a malformed gold.
func TestIncoming(t *testing.T) {
	for _, n := range notices(t, "testdata/incoming") {
		t.Run(n.name, func(t *testing.T) {
			gold := mustReadGold(t, n.gold)
			if gold.Schema != "duban.extraction/v1" || len(gold.Tasks) == 0 {
				t.Fatalf("%s: schema %q with %d tasks, want duban.extraction/v1 with tasks", n.gold, gold.Schema, len(gold.Tasks))
			}
			pred, err := readNotice(n.source)
			if err != nil {
				t.Logf("%s: not read: %v", n.name, err)
				return
			}
			t.Logf("%s: %s; document %s", n.name, scoreReading(pred, gold), documentDiff(pred.Document, gold.Document))
		})
	}
}

// readNotice reads a notice file, returning the reader's error rather than
// failing the test.
func readNotice(path string) (*duban.Reading, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Read(filepath.Base(path), data)
}

// docField is one document field as read and as the gold has it.
type docField struct{ name, pred, gold string }

// docFields lists the six document fields side by side.
func docFields(pred, gold duban.DocumentInfo) []docField {
	return []docField{
		{"doc_number", pred.DocNumber, gold.DocNumber}, {"issuer", pred.Issuer, gold.Issuer}, {"title", pred.Title, gold.Title},
		{"date", pred.Date, gold.Date}, {"year", fmt.Sprint(pred.Year), fmt.Sprint(gold.Year)}, {"region", pred.Region, gold.Region},
	}
}

// documentFields names the document fields read differently from the gold.
func documentFields(pred, gold duban.DocumentInfo) []string {
	var names []string
	for _, f := range docFields(pred, gold) {
		if f.pred != f.gold {
			names = append(names, f.name)
		}
	}
	return names
}

// documentDiff says which document fields were read differently from the
// gold, with both values.
func documentDiff(pred, gold duban.DocumentInfo) string {
	var diff []string
	for _, f := range docFields(pred, gold) {
		if f.pred != f.gold {
			diff = append(diff, fmt.Sprintf("%s %q want %q", f.name, f.pred, f.gold))
		}
	}
	if len(diff) == 0 {
		return "right"
	}
	return "wrong: " + strings.Join(diff, ", ")
}

// TestGoldenReadings compares the whole reading of each corpus notice,
// warnings and metrics included, with the golden file from the last
// reviewed run; go test -run TestGoldenReadings -update rewrites them.
func TestGoldenReadings(t *testing.T) {
	for _, n := range corpus(t) {
		if strings.HasPrefix(n.name, "shared/") {
			continue
		}
		t.Run(n.name, func(t *testing.T) {
			got, err := json.MarshalIndent(mustReadFile(t, n.source), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "golden", n.name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./notice -run TestGoldenReadings -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("reading of %s differs from %s; review with -update and git diff", n.source, path)
			}
		})
	}
}
