package notice

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
)

// boundedNotice is a notice of n tasks in one paragraph, each with warned
// numbers the reader warns about ("完成投资 7 左右" has no unit).
func boundedNotice(n, warned int) []byte {
	var b strings.Builder
	b.WriteString("关于印发 2022 年《某区政府工作报告》目标任务分解的通知\n\n## 一、大力实施测试行动\n\n### （一）测试领域\n\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "推进第%d号项目建设", i)
		for k := range warned {
			fmt.Fprintf(&b, "，完成第%d类投资 %d 左右", k+1, 100+i%900)
		}
		b.WriteString("，（牵头单位：区财政局）")
	}
	return []byte(b.String())
}

// TestReadingBounds: a notice that reads as more tasks or warnings than a
// real notice could hold is refused, saying what and how many, rather
// than stored and shown; one at the bounds is read.
func TestReadingBounds(t *testing.T) {
	if r, err := Read("n.md", boundedNotice(MaxTasks, 1)); err != nil || len(r.Tasks) != MaxTasks || len(r.Warnings) != MaxTasks {
		t.Fatalf("%d tasks, each warned: got %v", MaxTasks, err)
	}
	for _, tc := range []struct {
		name   string
		data   []byte
		saying string
	}{
		{"tasks", boundedNotice(MaxTasks+1, 0), fmt.Sprintf("%d 项任务", MaxTasks+1)},
		{"warnings", boundedNotice(MaxWarnings/2+1, 2), fmt.Sprintf("%d 条", MaxWarnings+2)},
	} {
		_, err := Read("n.md", tc.data)
		if duban.ErrorCode(err) != duban.ETOOLARGE || !strings.Contains(duban.ErrorMessage(err), tc.saying) {
			t.Errorf("%s past the bound: got %v, want too large, saying %q", tc.name, err, tc.saying)
		}
	}
}
