package notice

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/decode"
)

// TestReadRefusesWhatIsNoNotice checks that input without an attributed task
// gets an error that says what the reader looks for, and never a reading.
func TestReadRefusesWhatIsNoNotice(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		code string
		want string // part of the message
	}{
		{"empty", nil, duban.EINVALID, "空"},
		{"spaces", []byte(" \n\t\n"), duban.EINVALID, "空"},
		{"prose", []byte("今天天气很好。我们去公园散步，然后回家吃饭。\n"), duban.EINVALID, "没有找到带责任分工的任务"},
		{"brackets without keys", []byte("一、总体要求\n坚持稳中求进（详见附件）。\n"), duban.EINVALID, "牵头单位"},
		{"too large", bytes.Repeat([]byte("a"), MaxInput+1), duban.ETOOLARGE, "不能超过 20 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Read("x.txt", tt.data)
			if err == nil {
				t.Fatalf("Read = %d tasks, want an error", len(r.Tasks))
			}
			if got := duban.ErrorCode(err); got != tt.code {
				t.Errorf("code = %q, want %q (%v)", got, tt.code, err)
			}
			if msg := duban.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("message = %q, want it to contain %q", msg, tt.want)
			}
		})
	}
}

// TestReadFromLimit checks that a reader larger than MaxInput is refused.
func TestReadFromLimit(t *testing.T) {
	_, err := ReadFrom("big.txt", bytes.NewReader(make([]byte, MaxInput+10)))
	if duban.ErrorCode(err) != duban.ETOOLARGE {
		t.Fatalf("err = %v, want too large", err)
	}
}

// FuzzRead feeds the reader arbitrary bytes, seeded with the corpus: it must
// return a reading with tasks or an error with a message, never panic or
// hang, and a reading must be well formed.
func FuzzRead(f *testing.F) {
	for _, n := range corpus(f) {
		switch filepath.Ext(n.source) {
		case ".pdf", ".doc", ".wps", ".xls":
			// PDF goes through pdftotext and the old Office formats through
			// LibreOffice, which take up to seconds a run; the other seeds
			// keep the fuzzer fast.
			continue
		}
		data, err := os.ReadFile(n.source)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(n.source, data)
	}
	for _, s := range []string{
		"（牵头单位：", "任务（牵头单位：A局）", "（一）标题\n**加粗。**任务（责任单位：区A局、区B局）尾巴",
		"序号\n工作任务\n牵头单位\n责任单位\n1\n任务\n区A局\n区B局", "|序号|工作任务|牵头单位|\n|---|---|---|\n|1|任务|区A局|",
		"新增 2 至 至 3 所（牵头单位：区A局）", "。牵头单位：。牵头单位：。牵头单位：", "\xff\xfe\x00", "PK\x03\x04", "%PDF-1.4",
	} {
		f.Add("seed.txt", []byte(s))
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		r, err := Read(name, data)
		if err != nil {
			if duban.ErrorMessage(err) == "" {
				t.Fatalf("error without a message: %v", err)
			}
			return
		}
		if len(r.Tasks) == 0 {
			t.Fatal("a reading without tasks")
		}
		for _, task := range r.Tasks {
			if task.Text == "" || !utf8.ValidString(task.Text) {
				t.Fatalf("task %s has text %q", task.No, task.Text)
			}
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatal(err)
		}
	})
}

// sampleSource returns the sample notice.
func sampleSource(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile("testdata/corpus/lixia-2022/source.md")
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// scaledSample repeats the sample's actions n times as one notice n times
// the size. Each copy has its own section titles and its own unit names
// (区财政局 becomes 区财政2局), so that no attribution repeats another copy's
// and the reader does the work of a real notice of that size.
func scaledSample(tb testing.TB, n int) []byte {
	tb.Helper()
	src := string(sampleSource(tb))
	i := strings.Index(src, "### （一）")
	head, body := src[:i], src[i:]
	var b strings.Builder
	b.WriteString(head)
	for k := 0; k < n; k++ {
		copy := strings.ReplaceAll(body, "大力实施", fmt.Sprintf("第%d轮大力实施", k+1))
		copy = strings.ReplaceAll(copy, "局", fmt.Sprintf("%d局", k+1))
		b.WriteString(copy)
		b.WriteString("\n\n")
	}
	return []byte(b.String())
}

// TestScaledSample checks that the benchmarks' large notices read as the
// sample does, n times over.
func TestScaledSample(t *testing.T) {
	r, err := Read("x10.md", scaledSample(t, 10))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Tasks) != 4+84*10 || len(r.Areas) != 240 || len(r.Sections) != 71 {
		t.Errorf("read %d tasks, %d areas, %d sections; want %d, 240, 71", len(r.Tasks), len(r.Areas), len(r.Sections), 4+84*10)
	}
}

// TestParallelReading checks that a large notice read with several
// goroutines gives exactly the reading of one.
func TestParallelReading(t *testing.T) {
	blocks, err := decode.File("x.md", scaledSample(t, 12))
	if err != nil {
		t.Fatal(err)
	}
	serial, err := json.Marshal(readBlocksWith(blocks, 1))
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{2, 3, 8} {
		parallel, err := json.Marshal(readBlocksWith(blocks, workers))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(serial, parallel) {
			t.Errorf("the reading with %d workers differs from the reading with one", workers)
		}
	}
}

func BenchmarkReadSample(b *testing.B) {
	data := sampleSource(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read("source.md", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadScaling reads 1×, 10× and 100× the sample: time per byte
// should stay flat (linear time). Its large notices hold more tasks than
// Read lets through; the bound is checked once a notice is read, so a file
// past it costs the reading all the same, which is what is measured.
func BenchmarkReadScaling(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		data := scaledSample(b, n)
		b.Run(fmt.Sprintf("x%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := read("source.md", data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRead5MB reads a notice of about 5 MB (target ≥ 20 MB/s), past
// the bound on tasks as BenchmarkReadScaling does.
func BenchmarkRead5MB(b *testing.B) {
	n := 5<<20/len(sampleSource(b)) + 1
	data := scaledSample(b, n)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := read("source.md", data); err != nil {
			b.Fatal(err)
		}
	}
}
