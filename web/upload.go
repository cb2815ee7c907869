package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice"
)

// MaxUpload bounds a request that carries a notice: the largest notice the
// reader takes, and room for a multipart form's headers around it.
const MaxUpload = notice.MaxInput + 1<<20

// errNoticeTooLarge refuses a notice over the reader's bound, named as the
// import form names it.
var errNoticeTooLarge = duban.Errorf(duban.ETOOLARGE, "通知文件过大：不能超过 %d MB。", notice.MaxInput>>20)

// ReadNoticeUpload reads the notice a request carries, as a multipart form's
// "file" field (with an optional "year" field) or as the whole body (named
// by ?name= or the Content-Disposition header, with an optional ?year=),
// and reads it with the notice reader.
func ReadNoticeUpload(r *http.Request) (duban.ImportInput, error) {
	var in duban.ImportInput
	year := r.URL.Query().Get("year")
	var data []byte
	var err error
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		if err := parseForm(r); err != nil {
			return in, err
		}
		f, hdr, ferr := r.FormFile("file")
		if ferr != nil {
			return in, duban.Errorf(duban.EINVALID, "表单中没有通知文件：请在字段“file”中上传。")
		}
		defer f.Close()
		in.Name = hdr.Filename
		if v := r.PostForm.Get("year"); v != "" {
			year = v
		}
		data, err = readUploaded(f)
	} else {
		in.Name = r.URL.Query().Get("name")
		if _, params, perr := mime.ParseMediaType(r.Header.Get("Content-Disposition")); perr == nil && in.Name == "" {
			in.Name = params["filename"]
		}
		data, err = readUploaded(r.Body)
	}
	if err != nil {
		return in, err
	}
	if err := CheckText("文件名", in.Name); err != nil {
		return in, err
	}
	in.Name = path.Base(strings.ReplaceAll(strings.TrimSpace(in.Name), `\`, "/"))
	if in.Name == "." || in.Name == "/" {
		in.Name = "通知"
	}
	y := 0
	if year != "" {
		if y, err = strconv.Atoi(year); err != nil {
			return in, duban.Errorf(duban.EINVALID, "年份“%s”不正确：应为四位数字，如 2024。", year)
		}
	}
	in.Data = data
	if in.Reading, err = notice.Read(in.Name, data); err != nil {
		return in, err
	}
	if y != 0 {
		in.Reading.Document.Year = y
	}
	return in, nil
}

// readUploaded reads an uploaded notice's bytes, saying plainly when there
// are too many (the route's bound) or they cannot be read.
func readUploaded(f io.Reader) ([]byte, error) {
	data, err := io.ReadAll(f)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, errNoticeTooLarge
	case err != nil:
		return nil, &duban.Error{Code: duban.EINVALID, Message: "无法读取上传的文件：请重试。", Err: err}
	}
	return data, nil
}

// SameYear gives a corrected notice that states no year the plan's year:
// a correction belongs to the year of what it corrects.
func SameYear(rd *duban.Reading, p *duban.Plan) {
	if rd.Document.Year == 0 {
		rd.Document.Year = p.Year
	}
}
