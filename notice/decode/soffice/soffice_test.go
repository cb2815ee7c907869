package soffice

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban"
)

// needSoffice skips a test when LibreOffice is not installed, except in
// CI, which installs it so that these paths are tested: there the test
// fails.
func needSoffice(t *testing.T) {
	t.Helper()
	if _, err := Binary(Docx); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI must test the LibreOffice path, and soffice is missing (.ci/run installs libreoffice-writer-nogui and libreoffice-calc-nogui): %v", err)
		}
		t.Skip("LibreOffice (soffice) is not installed")
	}
}

// isolate points the temporary directory at a folder of the test's own,
// so that a test can check that a conversion leaves nothing behind.
func isolate(t *testing.T) string {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	return tmp
}

func leftBehind(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left behind in the temporary directory: %s", e.Name())
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestConvert converts the sample notice's .doc, .wps and .xls and checks
// that the results are Office Open XML packages of the right kind.
func TestConvert(t *testing.T) {
	needSoffice(t)
	tmp := isolate(t)
	tests := []struct {
		path, ext string
		to        Target
		part      string
	}{
		{"../../testdata/corpus/lixia-2022-doc/source.doc", ".doc", Docx, "word/document.xml"},
		{"../../testdata/corpus/lixia-2022-wps/source.wps", ".wps", Docx, "word/document.xml"},
		{"../../testdata/corpus/lixia-2022-xls/source.xls", ".xls", Xlsx, "xl/workbook.xml"},
	}
	for _, tt := range tests {
		out, err := Convert(mustRead(t, tt.path), tt.ext, tt.to)
		if err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		zr, err := zip.NewReader(bytes.NewReader(out), int64(len(out)))
		if err != nil {
			t.Fatalf("%s: converted file is no package: %v", tt.path, err)
		}
		found := false
		for _, f := range zr.File {
			found = found || f.Name == tt.part
		}
		if !found {
			t.Errorf("%s: converted package has no %s", tt.path, tt.part)
		}
	}
	leftBehind(t, tmp)
}

// TestConvertFails checks that a file LibreOffice cannot load gets a
// message, and leaves nothing behind.
func TestConvertFails(t *testing.T) {
	needSoffice(t)
	tmp := isolate(t)
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...)
	_, err := Convert(ole, ".doc", Docx)
	if msg := duban.ErrorMessage(err); !strings.Contains(msg, "LibreOffice 无法转换") || !strings.Contains(msg, "另存为 .docx") {
		t.Errorf("error = %v, want a message that LibreOffice could not convert it", err)
	}
	leftBehind(t, tmp)
}

// TestNotInstalled checks the message that names the package to install.
func TestNotInstalled(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	for _, tt := range []struct {
		to   Target
		want []string
	}{
		{Docx, []string{"需要 LibreOffice", "libreoffice-writer-nogui", "另存为 .docx"}},
		{Xlsx, []string{"需要 LibreOffice", "libreoffice-calc-nogui", "另存为 .xlsx"}},
	} {
		_, err := Convert([]byte("x"), ".doc", tt.to)
		var de *duban.Error
		if !errors.As(err, &de) || de.Code != duban.EINVALID {
			t.Fatalf("error = %v, want invalid", err)
		}
		for _, w := range tt.want {
			if !strings.Contains(de.Message, w) {
				t.Errorf("message %q lacks %q", de.Message, w)
			}
		}
	}
}

// TestTimeout runs a soffice that never finishes (it starts a child that
// sleeps, as soffice starts soffice.bin) and checks that the conversion
// ends with a message, and its temporary files are removed.
func TestTimeout(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no shell")
	}
	bin := t.TempDir()
	script := "#!/bin/sh\nsleep 300 &\nwait\n"
	if err := os.WriteFile(filepath.Join(bin, "soffice"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	tmp := isolate(t)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, err := convert(ctx, []byte("x"), ".doc", Docx)
	if msg := duban.ErrorMessage(err); !strings.Contains(msg, "超时") {
		t.Errorf("error = %v, want a timeout message", err)
	}
	leftBehind(t, tmp)
}

// TestTooLarge checks the bound on what is given to LibreOffice.
func TestTooLarge(t *testing.T) {
	_, err := Convert(make([]byte, maxInput+1), ".doc", Docx)
	if msg := duban.ErrorMessage(err); !strings.Contains(msg, "文件过大") {
		t.Errorf("error = %v, want a message that the file is too large", err)
	}
}
