// Package docxtest is what the tests of Word documents share: converting a
// .docx to PDF with LibreOffice, and reading the PDF's pages, size and text
// with poppler. A test without the tools is skipped, saying what to
// install, except in CI (CI=true), where it fails: CI must run them (.ci/run
// installs LibreOffice and poppler).
package docxtest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// Tool returns the path of a program a test needs, from package pkg.
func Tool(t testing.TB, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true 但找不到 %s：CI 必须运行 Word 文档的转换测试（.ci/run 安装 %s）。", name, pkg)
		}
		t.Skipf("转换测试已跳过：找不到 %s（apt-get install %s 后运行）。", name, pkg)
	}
	return path
}

// ToPDF converts a .docx with LibreOffice, in a profile of its own (so that
// tests and a desktop LibreOffice do not share a lock) and under a timeout,
// and returns the PDF's path.
func ToPDF(t testing.TB, docx []byte) string {
	t.Helper()
	soffice := Tool(t, "soffice", "libreoffice-writer-nogui")
	dir := t.TempDir()
	in := filepath.Join(dir, "doc.docx")
	if err := os.WriteFile(in, docx, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
		"--headless", "--norestore", "--convert-to", "pdf", "--outdir", dir, in)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	cmd.WaitDelay = 10 * time.Second
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	pdf := filepath.Join(dir, "doc.pdf")
	if _, err := os.Stat(pdf); err != nil {
		t.Fatalf("soffice wrote no PDF: %v", err)
	}
	return pdf
}

// Run runs a program of package pkg and returns its output.
func Run(t testing.TB, name, pkg string, args ...string) string {
	t.Helper()
	out, err := exec.Command(Tool(t, name, pkg), args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}

// Info returns a PDF's page count and its first page's size in points.
func Info(t testing.TB, pdf string) (pages int, w, h float64) {
	t.Helper()
	info := Run(t, "pdfinfo", "poppler-utils", pdf)
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindStringSubmatch(info)
	s := regexp.MustCompile(`(?m)^Page size:\s+([\d.]+) x ([\d.]+) pts`).FindStringSubmatch(info)
	if m == nil || s == nil {
		t.Fatalf("pdfinfo says:\n%s", info)
	}
	pages, _ = strconv.Atoi(m[1])
	w, _ = strconv.ParseFloat(s[1], 64)
	h, _ = strconv.ParseFloat(s[2], 64)
	return pages, w, h
}

// Text returns a PDF's text, pages separated by form feeds.
func Text(t testing.TB, pdf string) string {
	t.Helper()
	return Run(t, "pdftotext", "poppler-utils", pdf, "-")
}
