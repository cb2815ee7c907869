// Package soffice converts the old binary Office formats offices still
// publish (Word 97 .doc, WPS 文字 .wps, Excel 97 .xls) to .docx and .xlsx
// with LibreOffice, when it is installed, so that the docx and xlsx readers
// read them. Each conversion runs headless in a private temporary profile,
// under a timeout, at most two at a time; its temporary files are removed
// whatever happens.
package soffice

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/dubanhq/duban"
)

// A Target is what a file is converted to.
type Target struct {
	// ext and filter name the output; in names LibreOffice's import filter,
	// so that a file it cannot read as such fails rather than being read as
	// plain text.
	ext, filter, in string
	// what the source is, what to save it as, and the Debian package that
	// brings the LibreOffice part that reads it, for messages.
	what, saveAs, apps, pkg string
}

// The targets: Word documents (.doc, .wps) to .docx, workbooks (.xls) to
// .xlsx.
var (
	Docx = Target{ext: "docx", filter: "docx:MS Word 2007 XML", in: "MS Word 97",
		what: "旧版 Word 文档（.doc、.wps）", saveAs: ".docx", apps: "Word 或 WPS", pkg: "libreoffice-writer-nogui"}
	Xlsx = Target{ext: "xlsx", filter: "xlsx:Calc MS Excel 2007 XML", in: "MS Excel 97",
		what: "旧版 Excel 表格（.xls）", saveAs: ".xlsx", apps: "Excel 或 WPS", pkg: "libreoffice-calc-nogui"}
)

// Limits on a conversion.
const (
	// Timeout bounds one conversion, LibreOffice's start included (a few
	// seconds, more on the first run of a profile).
	Timeout   = 60 * time.Second
	maxInput  = 20 << 20 // what the notice reader accepts at all
	maxOutput = 32 << 20
	maxStderr = 64 << 10
)

// slots bounds how many LibreOffice processes run at once: each takes a
// few hundred megabytes, and a burst of uploads must not exhaust memory.
var slots = make(chan struct{}, 2)

// Convert converts data, a file of the given extension (".doc", ".wps",
// ".xls"), to the target format and returns the converted file.
func Convert(data []byte, ext string, to Target) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	return convert(ctx, data, ext, to)
}

// Binary returns the path of LibreOffice's soffice, or an error saying
// what to install.
func Binary(to Target) (string, error) {
	for _, name := range []string{"soffice", "libreoffice"} {
		if bin, err := exec.LookPath(name); err == nil {
			return bin, nil
		}
	}
	return "", &duban.Error{Code: duban.EINVALID, Err: exec.ErrNotFound, Message: fmt.Sprintf(
		"读取%s需要 LibreOffice，本服务器尚未安装：请管理员安装（Debian/Ubuntu：sudo apt-get install %s，或 libreoffice-core 加相应组件）；也可以在 %s 中把文件另存为 %s 后再导入。",
		to.what, to.pkg, to.apps, to.saveAs)}
}

func convert(ctx context.Context, data []byte, ext string, to Target) ([]byte, error) {
	if len(data) > maxInput {
		return nil, duban.Errorf(duban.EINVALID, "文件过大（%.1f MB）：%s不能超过 %d MB。", float64(len(data))/(1<<20), to.what, maxInput>>20)
	}
	bin, err := Binary(to)
	if err != nil {
		return nil, err
	}
	select {
	case slots <- struct{}{}:
		defer func() { <-slots }()
	case <-ctx.Done():
		return nil, timeoutError(to, ctx.Err())
	}
	dir, err := os.MkdirTemp("", "duban-soffice-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "notice"+ext), filepath.Join(dir, "out")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, err
	}
	profile := url.URL{Scheme: "file", Path: filepath.Join(dir, "profile")}
	cmd := exec.CommandContext(ctx, bin, "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
		"-env:UserInstallation="+profile.String(), "--infilter="+to.in, "--convert-to", to.filter, "--outdir", out, in)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir)
	stderr := &boundedBuffer{limit: maxStderr}
	cmd.Stdout, cmd.Stderr = stderr, stderr
	cmd.WaitDelay = 5 * time.Second
	inGroup(cmd)
	err = cmd.Run()
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return nil, timeoutError(to, ctx.Err())
	}
	result := filepath.Join(out, "notice."+to.ext)
	info, statErr := os.Stat(result)
	if err != nil || statErr != nil {
		// LibreOffice exits 0 when it cannot load the file; the missing
		// output says so.
		return nil, &duban.Error{Code: duban.EINVALID, Err: fmt.Errorf("soffice: %v %v: %s", err, statErr, bytes.TrimSpace(stderr.Bytes())),
			Message: fmt.Sprintf("LibreOffice 无法转换这个%s（文件可能已损坏、设有密码或并非此格式）：请在 %s 中打开，另存为 %s 后再导入。", to.what, to.apps, to.saveAs)}
	}
	if info.Size() > maxOutput {
		return nil, duban.Errorf(duban.EINVALID, "%s转换后超过 %d MB，不像是一份通知：请检查文件，或在 %s 中删去图片等内容后另存为 %s 再导入。", to.what, maxOutput>>20, to.apps, to.saveAs)
	}
	return os.ReadFile(result)
}

func timeoutError(to Target, err error) error {
	return &duban.Error{Code: duban.EINVALID, Err: err, Message: fmt.Sprintf(
		"转换%s超时（超过 %d 秒）：文件可能过大或已损坏，或服务器正忙。请稍后再试，或在 %s 中另存为 %s 后再导入。", to.what, int(Timeout.Seconds()), to.apps, to.saveAs)}
}

// boundedBuffer collects a command's output up to limit bytes and drops
// the rest.
type boundedBuffer struct {
	bytes.Buffer
	limit int
}

func (b *boundedBuffer) Write(p []byte) (int, error) {
	if room := b.limit - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
