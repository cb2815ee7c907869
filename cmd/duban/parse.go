package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"duban"
	"duban/notice"
)

// runParse reads a notice and prints the reading: a summary for a person, or
// the duban.extraction/v1 JSON with --json.
func runParse(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "parse", "parse [--json] 文件|-")
	asJSON := fs.Bool("json", false, "输出 duban.extraction/v1 JSON（只输出 JSON）")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	name := fs.Arg(0)
	var r *duban.Reading
	var err error
	if name == "-" {
		r, err = notice.ReadFrom("", env.Stdin)
	} else {
		f, ferr := os.Open(name)
		if ferr != nil {
			return duban.Errorf(duban.EINVALID, "无法打开文件 %s：%v", name, ferr)
		}
		defer f.Close()
		r, err = notice.ReadFrom(name, f)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	fmt.Fprintf(env.Stdout, "%d tasks\n", len(r.Tasks))
	return nil
}
