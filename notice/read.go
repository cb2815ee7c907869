// Package notice reads government work-report decomposition notices (目标任务
// 分解 / 重点工作分工) in text, Markdown, Word, Excel, HTML or PDF form into a
// duban.Reading: the actions, focus areas, attributed tasks with their owners,
// deadlines and quantitative targets, and the statements nobody owns yet.
//
// The reader is pure: bytes in, reading out. It touches no database and no
// network; for PDF it runs poppler's pdftotext, and for the old .doc, .wps
// and .xls LibreOffice, when they are installed.
package notice

import (
	"bytes"
	"io"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/decode"
)

// MaxInput is the largest notice, in bytes, that the reader accepts. Real
// notices are well under 1 MB; the bound keeps memory use predictable.
const MaxInput = 20 << 20

// The most a reading may hold: tasks, unassigned statements and warnings.
// A real notice has a few hundred tasks and some dozens of warnings; more
// than this is not a notice a person could review, and storing and
// showing it would cost the server what no notice needs.
const (
	MaxTasks      = 5000
	MaxStatements = 5000
	MaxWarnings   = 5000
)

// Read reads one notice. name is the file name when known (it helps only to
// tell formats apart; the content decides). It returns a reading with at
// least one attributed task, or an error whose message tells the user what
// went wrong.
func Read(name string, data []byte) (*duban.Reading, error) {
	r, err := read(name, data)
	if err != nil {
		return nil, err
	}
	if err := checkBounds(r); err != nil {
		return nil, err
	}
	return r, nil
}

// read reads one notice without the bounds on what a reading may hold,
// which are checked once it is read.
func read(name string, data []byte) (*duban.Reading, error) {
	if len(data) > MaxInput {
		return nil, duban.Errorf(duban.ETOOLARGE, "文件过大（%.1f MB）：通知文件不能超过 %d MB。", float64(len(data))/(1<<20), MaxInput>>20)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, duban.Errorf(duban.EINVALID, "文件是空的：%s", noTaskHint)
	}
	blocks, err := decode.File(name, data)
	if err != nil {
		return nil, err
	}
	r := readBlocks(blocks)
	if len(r.Tasks) == 0 {
		return nil, duban.Errorf(duban.EINVALID, "没有找到带责任分工的任务。%s", noTaskHint)
	}
	return r, nil
}

// checkBounds refuses a reading past the bounds a real notice keeps.
func checkBounds(r *duban.Reading) error {
	for _, c := range []struct {
		n, max int
		what   string
	}{
		{len(r.Tasks), MaxTasks, "项任务"},
		{len(r.Unassigned), MaxStatements, "段无人认领的文字"},
		{len(r.Warnings), MaxWarnings, "条读取提示"},
	} {
		if c.n > c.max {
			return duban.Errorf(duban.ETOOLARGE, "通知读出了 %d %s，超过了 %d 的上限：真实的任务分解通知远少于此。请检查上传的是否是任务分解通知，或把它分成几份导入。", c.n, c.what, c.max)
		}
	}
	return nil
}

// ReadFrom reads a notice from r, refusing input over MaxInput bytes without
// holding more than that in memory.
func ReadFrom(name string, r io.Reader) (*duban.Reading, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxInput+1))
	if err != nil {
		return nil, &duban.Error{Code: duban.EINVALID, Message: "无法读取文件：" + err.Error(), Err: err}
	}
	return Read(name, data)
}

// noTaskHint tells the user what the reader looks for.
const noTaskHint = "duban 读取的是政府工作报告目标任务分解通知：每项任务后有括号注明分工，" +
	"如“（牵头领导：张三，牵头单位：区发展和改革局，责任单位：区财政局）”，" +
	"或在下一行写“牵头单位：…”“责任单位：…”，或用表格列出任务与牵头、责任单位。" + Formats

// Formats lists the file formats the reader takes, for the user.
const Formats = "支持的格式：文本（UTF-8、GBK、UTF-16）、Markdown、Word（.docx）、Excel 任务表（.xlsx）、网页（.html）、" +
	"PDF（需安装 poppler-utils），以及旧版 Word（.doc）、WPS 文字（.wps）和旧版 Excel（.xls）（需安装 LibreOffice）；格式由文件内容判断。"
