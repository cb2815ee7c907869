package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
)

const sample = "../../notice/testdata/corpus/lixia-2022/source.md"

// runCmd runs duban in-process with the given standard input and returns its
// exit code, standard output and standard error.
func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	code := run(context.Background(), env, args)
	return code, out.String(), errOut.String()
}

func TestParseJSON(t *testing.T) {
	code, out, errOut := runCmd(t, "", "parse", "--json", sample)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r duban.Reading
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("stdout is not one reading: %v", err)
	}
	if dec.More() {
		t.Fatal("stdout has more than the JSON reading")
	}
	if r.Schema != duban.ReadingSchema || len(r.Tasks) != 88 || len(r.Sections) != 8 || len(r.Areas) != 24 || len(r.Unassigned) != 9 {
		t.Errorf("reading = schema %q, %d tasks, %d sections, %d areas, %d unassigned; want %q, 88, 8, 24, 9",
			r.Schema, len(r.Tasks), len(r.Sections), len(r.Areas), len(r.Unassigned), duban.ReadingSchema)
	}
}

func TestParseStdin(t *testing.T) {
	data, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, string(data), "parse", "--json", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, `"no": "7.5.2"`) {
		t.Error("the reading of standard input lacks the last task 7.5.2")
	}
}

func TestParseSummary(t *testing.T) {
	code, out, errOut := runCmd(t, "", "parse", sample)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"关于印发 2022 年《济南市历下区政府工作报告》目标任务分解的通知",
		"济南市历下区人民政府办公室 · 历下政办字〔2022〕3号 · 2022-04-22",
		"7 个行动 · 24 个重点领域 · 88 项任务",
		"【一、大力实施城市更新行动，构建区域协调发展新格局】",
		"（1）加快放大政策集成强效应",
		"牵头领导：武毅  牵头单位：区财政局  责任单位：区发展和改革局、区住房和城市建设局",
		"指标：地区生产总值增长 ≥ 8 %",
		"指标：一流品牌学校 2–3 所",
		"！无人认领：以小工程解决大民生，在细微处见绣花功夫",
		"提示（请对照原文核对）：",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stderr string
	}{
		{"no file", "", []string{"parse"}, 2, "用法：duban parse"},
		{"usage names the formats", "", []string{"parse", "--help"}, 0, "Excel 任务表（.xlsx）"},
		{"missing file", "", []string{"parse", "/nonexistent/notice.md"}, 1, "文件不存在"},
		{"not a notice", "今天天气很好。\n", []string{"parse", "-"}, 1, "没有找到带责任分工的任务"},
		{"unknown command", "", []string{"parze"}, 2, "未知命令"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Errorf("exit = %d, want %d", code, tt.code)
			}
			if out != "" {
				t.Errorf("stdout = %q, want nothing", out)
			}
			if !strings.Contains(errOut, tt.stderr) {
				t.Errorf("stderr = %q, want it to contain %q", errOut, tt.stderr)
			}
		})
	}
}
