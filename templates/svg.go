package templates

import (
	"math"
	"strconv"
	"time"
)

// The geometry of the charts PatentDesk draws itself, as inline SVG: no
// chart library and no script, so that a chart prints, works without
// JavaScript and passes the strict content security policy. Everything
// here is plain arithmetic on user units of a viewBox.

const day = 24 * time.Hour

// svgNum writes a coordinate for an SVG attribute: one decimal at most.
func svgNum(x float64) string {
	return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)
}

// svgInt writes a whole number for an SVG attribute.
func svgInt(n int) string { return strconv.Itoa(n) }

// dayOf is the calendar day of t, as midnight UTC.
func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DayScale places calendar days on a horizontal axis: the first moment of
// From at X0 and the end of To (both days included) at X1.
type DayScale struct {
	From, To time.Time
	X0, X1   float64
}

// days is how many days the scale spans.
func (s DayScale) days() float64 {
	return dayOf(s.To).Sub(dayOf(s.From)).Hours()/24 + 1
}

// X is where day t begins.
func (s DayScale) X(t time.Time) float64 {
	d := dayOf(t).Sub(dayOf(s.From)).Hours() / 24
	return s.X0 + d/s.days()*(s.X1-s.X0)
}

// XEnd is where day t ends: a bar that includes its last day reaches here.
func (s DayScale) XEnd(t time.Time) float64 { return s.X(dayOf(t).Add(day)) }

// Mid is the middle of day t, where a mark on that day stands.
func (s DayScale) Mid(t time.Time) float64 {
	x := s.X(t)
	return x + (s.XEnd(t)-x)/2
}

// Clamp keeps x within the axis.
func (s DayScale) Clamp(x float64) float64 { return math.Max(s.X0, math.Min(s.X1, x)) }

// Contains reports whether day t lies on the axis.
func (s DayScale) Contains(t time.Time) bool {
	t = dayOf(t)
	return !t.Before(dayOf(s.From)) && !t.After(dayOf(s.To))
}

// YearTick is the start of a year on a DayScale.
type YearTick struct {
	Year  int
	X     float64
	Label bool // the year is written under the tick; crowded axes write every second or fifth
}

// Text is the year as the axis writes it (never with digit grouping).
func (t YearTick) Text() string { return strconv.Itoa(t.Year) }

// YearTicks returns a tick at each first of January on the scale, from
// From's year on, and labels at most maxLabels of them, at a round step.
func YearTicks(s DayScale, maxLabels int) []YearTick {
	first, last := s.From.Year(), s.To.Year()
	step := 1
	for _, st := range []int{1, 2, 5, 10, 20, 50, 100} {
		step = st
		if (last-first)/st+1 <= max(maxLabels, 1) {
			break
		}
	}
	var ticks []YearTick
	for y := first; y <= last; y++ {
		x := s.Clamp(s.X(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)))
		ticks = append(ticks, YearTick{Year: y, X: x, Label: y%step == 0 || step == 1})
	}
	return ticks
}

// LinearScale maps counts from 0 to Max onto the range R0 … R1 (R1 may lie
// below R0, as for columns growing upwards from a baseline).
type LinearScale struct {
	Max    float64
	R0, R1 float64
}

// At is where value v lies; with Max 0 everything lies at R0.
func (s LinearScale) At(v float64) float64 {
	if s.Max <= 0 {
		return s.R0
	}
	return s.R0 + v/s.Max*(s.R1-s.R0)
}

// NiceTicks returns the values of an axis from 0 in round steps (1, 2 or 5
// times a power of ten) up to the first step at or above max, using at
// most n steps: for max 37 and n 5, 0 10 20 30 40.
func NiceTicks(maxValue, n int) []int {
	if maxValue <= 0 || n <= 0 {
		return []int{0, 1}
	}
	step := 1
	for p := 1; ; p *= 10 {
		found := false
		for _, m := range []int{1, 2, 5} {
			if (maxValue+m*p-1)/(m*p) <= n {
				step, found = m*p, true
				break
			}
		}
		if found {
			break
		}
	}
	top := (maxValue + step - 1) / step * step
	ticks := make([]int, 0, top/step+1)
	for v := 0; v <= top; v += step {
		ticks = append(ticks, v)
	}
	return ticks
}

// BandScale divides R0 … R1 into N equal bands, one per bar or column, each
// drawn with Padding (a fraction of the band) left free around it.
type BandScale struct {
	N       int
	R0, R1  float64
	Padding float64
}

// band is the width of one band.
func (b BandScale) band() float64 {
	if b.N <= 0 {
		return 0
	}
	return (b.R1 - b.R0) / float64(b.N)
}

// Start is where the i-th bar begins.
func (b BandScale) Start(i int) float64 {
	return b.R0 + float64(i)*b.band() + b.band()*b.Padding/2
}

// Width is the width of a bar.
func (b BandScale) Width() float64 { return b.band() * (1 - b.Padding) }

// Center is the middle of the i-th band.
func (b BandScale) Center(i int) float64 { return b.R0 + (float64(i)+0.5)*b.band() }
