package chart

// The words of the status lights, in the order charts and legends show
// them: finished work first, then work in progress from good to bad, then
// work not reported or not begun.
const (
	LightClosed   = "已办结"
	LightDone     = "已完成"
	LightOnTrack  = "正常推进"
	LightLagging  = "进度滞后"
	LightSevere   = "严重滞后"
	LightNoReport = "未报送"
	LightNotBegun = "未启动"
)

// lightPalette holds one colour per light. Every ink reads on its fill at a
// contrast of at least 4.5:1 (WCAG AA), and the word is written beside the
// colour wherever a light is shown, so that colour is never the only sign.
var lightPalette = [...]Series{
	{LightClosed, Colour{"#1b3f7a", "#ffffff"}},
	{LightDone, Colour{"#2f6fb8", "#ffffff"}},
	{LightOnTrack, Colour{"#23803f", "#ffffff"}},
	{LightLagging, Colour{"#f2b705", "#1a1a1a"}},
	{LightSevere, Colour{"#c62828", "#ffffff"}},
	{LightNoReport, Colour{"#5f5f5f", "#ffffff"}},
	{LightNotBegun, Colour{"#c8c8c8", "#1a1a1a"}},
}

// unknownLight is the colour of a word that is not a light.
var unknownLight = Colour{"#ffffff", "#1a1a1a"}

// Lights returns the seven status lights with their colours, in display
// order: the series of the light charts, and the colours the progress book
// paints its light cells with.
func Lights() []Series {
	p := lightPalette // a copy, so that no caller changes the palette
	return p[:]
}

// LightColour returns the colour of a light by its word, and white with
// black ink for a word that is not a light.
func LightColour(word string) Colour {
	for _, l := range lightPalette {
		if l.Name == word {
			return l.Colour
		}
	}
	return unknownLight
}
