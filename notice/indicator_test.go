package notice

import (
	"fmt"
	"strings"
	"testing"
)

// TestIndicators checks the targets read from task texts as (value unit cmp)
// triples, and that names, ordinals and years are left alone.
func TestIndicators(t *testing.T) {
	tests := []struct {
		text string
		want string // "value unit cmp" joined by "; "
	}{
		{"地区生产总值增长 8%以上", "8 % >="},
		{"一般公共预算收入增长 9%", "9 % ="},
		{"新增城镇就业 3.87 万人", "3.87 万人 ="},
		{"中建八局地块等4个项目、3700余户居民房屋征收", "4 个 =; 3700 户 >"},
		{"推进 2 万余座散埋坟墓", "2 万座 >"},
		{"举办不少于 30 场促消费活动", "30 场 >="},
		{"新建 5G 基站877个，总量超过4000个", "877 个 =; 4000 个 >"},
		{"重点打造 2 至 3 所一流品牌学校", "2-3 所 range"},
		{"新成立育德等三个幼教集团", "3 个 ="},
		{"建成社区嵌入式养老服务中心两处", "2 处 ="},
		{"投入不少于3亿元设立政府引导基金", "3 亿元 >="},
		{"全年引进市外投资 339 亿元", "339 亿元 ="},
		{"力争80%的审批许可事项实现“无证办”", "80 % ="},
		{"城镇登记失业率控制在4.5%以内", "4.5 % <="},
		{"惠及居民约1.6万户", "1.6 万户 ~"},
		{"引进高校毕业生等各类人才1000人左右", "1000 人 ~"},
		{"PM2.5平均浓度控制在35微克/立方米以内", "35 微克/立方米 <="},
		{"全年实施5000万元以上项目2000个以上", "2000 个 >="},
		{"企业开办时间压缩至2个工作日以内", "2 个工作日 <="},
		{"城乡居民人均可支配收入分别增长6.5%和8%", "6.5 % =; 8 % ="},
		// Not targets.
		{"全力保障轨道交通 4 号线、6 号线建设", ""},
		{"办好全区第 12 届全民健身运动会", ""},
		{"全力保障党的二十大等重大活动期间安全稳定", ""},
		{"为历下在“十四五”期间腾飞起势奠定基础", ""},
		{"持续提升“12345”市民服务热线办理质效", ""},
		{"积极落实三孩生育政策", ""},
		{"坚决守牢安全生产、公共卫生、社会稳定三条底线", ""},
		{"建设改造一刻钟社区便民生活圈", ""},
		{"2022 年是新一届政府的开局之年", ""},
		{"实现区域内5G网络连续覆盖", ""},
		{"严格落实中央八项规定及其实施细则精神", ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			inds, _ := indicatorsIn(tt.text)
			var got []string
			for _, i := range inds {
				v := fmt.Sprint(i.Value)
				if i.Upper != nil {
					v += "-" + fmt.Sprint(*i.Upper)
				}
				got = append(got, fmt.Sprintf("%s %s %s", v, i.Unit, i.Cmp))
			}
			if g := strings.Join(got, "; "); g != tt.want {
				t.Errorf("got %q, want %q", g, tt.want)
			}
		})
	}
}

// TestIndicatorMetrics checks the phrase each target counts.
func TestIndicatorMetrics(t *testing.T) {
	tests := map[string]string{
		"新增高新技术企业 119 家":              "新增高新技术企业",
		"完成盛福片区等875亩土地挂牌出让":           "土地挂牌出让",
		"新认定至少 5 家市级总部企业":             "市级总部企业",
		"继续举办好文博会、非遗博览会等各类群众文化活动100场": "群众文化活动",
	}
	for text, want := range tests {
		inds, _ := indicatorsIn(text)
		if len(inds) != 1 || inds[0].Metric != want {
			t.Errorf("metric of %q = %+v, want %q", text, inds, want)
		}
	}
}
