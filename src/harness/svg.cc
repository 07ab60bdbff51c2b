// The report's SVG progress chart, like the autoresearch one: x = trial
// number, y = speed-up vs the scalar reference; kept trials highlighted and
// joined by the running-best step line, discards faint, failures marked.
// Kept trials carry only their trial number on the plot; their descriptions
// go to a table under it, so labels cannot pile up when keeps are close.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "harness/report.h"

#include "base/strings.h"

namespace lar {
namespace {

constexpr double kWidth = 960;
constexpr double kLeft = 80, kRight = 30;
constexpr double kPlotHeight = 300;
constexpr double kRowHeight = 16;  // legend and kept-table rows
// More kept trials than this and the table takes two columns, so ~30 trials
// per chart with several charts stacked keep the SVG short enough to scan.
constexpr size_t kOneColumnRows = 10;
// An SVG writer has no font metrics: widths are estimated. DejaVu Sans
// averages about 0.6 em per character, so 0.62 em (0.68 bold) errs wide and
// text cut to fit stays inside the chart.
constexpr double kEm = 0.62, kBoldEm = 0.68;

std::string Esc(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string F(double v) { return StrFormat("%.1f", v); }

std::string Fixed(double v, const char* format) {
  if (std::isnan(v)) return "n/a";
  return StrFormat(format, v);
}

// Characters, not bytes: descriptions and titles hold UTF-8 ("—", "·").
bool StartsChar(char c) { return (c & 0xC0) != 0x80; }

size_t Chars(const std::string& s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), StartsChar));
}

double TextWidth(const std::string& s, double px, bool bold = false) {
  return static_cast<double>(Chars(s)) * px * (bold ? kBoldEm : kEm);
}

// `s` cut at a character boundary, with an ellipsis, to fit `max_px`.
std::string Fit(const std::string& s, double max_px, double px, bool bold = false) {
  if (TextWidth(s, px, bold) <= max_px) return s;
  const double room = max_px / (px * (bold ? kBoldEm : kEm)) - 1;  // 1 for the ellipsis
  const size_t keep = static_cast<size_t>(std::max(0.0, room));
  size_t chars = 0, i = 0;
  for (; i < s.size(); ++i) {
    if (StartsChar(s[i]) && chars++ == keep) break;
  }
  return s.substr(0, i) + "…";
}

std::string Text(double x, double y, const std::string& cls, const std::string& text,
                 const char* anchor = "start") {
  return "<text x=\"" + F(x) + "\" y=\"" + F(y) + "\" class=\"" + cls + "\" text-anchor=\"" +
         anchor + "\">" + Esc(text) + "</text>\n";
}

// "#12": how the chart and its table name a trial, as `lar report` does.
std::string TrialTag(size_t trial) {
  std::string s = "#";  // appended, not "#" + ...: GCC 12 warns falsely (-Wrestrict)
  s += std::to_string(trial);
  return s;
}

std::string Line(double x1, double x2, double y1, double y2, const char* cls) {
  return "<line x1=\"" + F(x1) + "\" x2=\"" + F(x2) + "\" y1=\"" + F(y1) + "\" y2=\"" + F(y2) +
         "\" class=\"" + cls + "\"/>\n";
}

// A point; `tip` (a <title>) shows the trial on hover.
std::string Circle(double x, double y, const char* r, const char* cls,
                   const std::string& tip = "") {
  const std::string open =
      "<circle cx=\"" + F(x) + "\" cy=\"" + F(y) + "\" r=\"" + r + "\" class=\"" + cls + "\"";
  return tip.empty() ? open + "/>\n" : open + ">" + tip + "</circle>\n";
}

std::string Plural(size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// "Nice" tick step covering `range` in about `count` steps.
double TickStep(double range, int count) {
  const double raw = range / count;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (raw <= m * mag) return m * mag;
  }
  return 10.0 * mag;
}

// Trials without a speed-up, by why; the class picks the marker (style).
struct FailureKind {
  const char* cls;
  const char* label;
};
constexpr FailureKind kFailures[] = {{"wrong", "correctness failure"},
                                     {"crash", "crash"},
                                     {"timeout", "timeout"},
                                     {"invalid", "invalid (edit scope)"},
                                     {"unmeasured", "not measured"}};

// Why a trial has no speed-up; nullptr when it has one. Crash, timeout and
// invalid are keep values; a discard without a speed-up failed verification
// (the gate discards those before timing).
const FailureKind* FailureOf(const ResultRow& r) {
  if (!std::isnan(r.speedup)) return nullptr;
  for (const FailureKind& k : kFailures) {
    if (r.keep == k.cls) return &k;
  }
  return r.correctness != "pass" ? &kFailures[0] : &kFailures[4];
}

std::string Marker(const std::string& cls, double x, double y, const std::string& tip = "") {
  const std::string d = cls == "wrong" ? "M" + F(x) + "," + F(y - 5) + " L" + F(x + 5) + "," +
                                             F(y + 4) + " L" + F(x - 5) + "," + F(y + 4) + " Z"
                                       : "M" + F(x - 5) + "," + F(y - 5) + " L" + F(x + 5) + "," +
                                             F(y + 5) + " M" + F(x - 5) + "," + F(y + 5) + " L" +
                                             F(x + 5) + "," + F(y - 5);
  return "<g class=\"" + cls + "\"><path d=\"" + d + "\"/>" + tip + "</g>\n";
}

struct Frame {
  size_t n = 0;
  double top = 0, bottom = 0;  // plot area, SVG coordinates
  double lo = 0, hi = 1, step = 0.1;
  double X(size_t trial) const {
    const double w = kWidth - kLeft - kRight;
    if (n <= 1) return kLeft + w / 2;
    return kLeft + w * static_cast<double>(trial - 1) / static_cast<double>(n - 1);
  }
  double Y(double v) const { return top + (bottom - top) * (1.0 - (v - lo) / (hi - lo)); }
};

Frame MakeFrame(const TargetReport& g, double top) {
  Frame f;
  f.n = g.rows.size();
  f.top = top;
  f.bottom = top + kPlotHeight;
  double lo = INFINITY, hi = -INFINITY;
  for (const ResultRow* r : g.rows) {
    if (std::isnan(r->speedup)) continue;
    lo = std::min(lo, std::isnan(r->speedup_ci_lo) ? r->speedup : r->speedup_ci_lo);
    hi = std::max(hi, std::isnan(r->speedup_ci_hi) ? r->speedup : r->speedup_ci_hi);
  }
  if (!std::isfinite(lo)) {
    lo = 0.0;
    hi = 1.0;
  }
  // The bottom pad keeps points clear of the failure band; the top pad
  // leaves room for the label above the best point.
  const double pad = std::max((hi - lo) * 0.15, hi * 0.01);
  lo = std::max(0.0, lo - pad);
  hi += pad;
  f.step = TickStep(hi - lo, 6);
  f.lo = std::floor(lo / f.step) * f.step;
  f.hi = std::ceil(hi / f.step) * f.step;
  return f;
}

// The counts in the words of `lar report`'s text: the baseline is not a keep.
std::string CountsLine(const TargetReport& g) {
  auto count = [&](const char* k) {
    const auto it = g.counts.find(k);
    return it == g.counts.end() ? size_t{0} : static_cast<size_t>(it->second);
  };
  const size_t baselines = count("baseline");
  std::string s = Plural(g.rows.size(), "trial", "trials") + ": ";
  s += baselines == 0   ? "no baseline"
       : baselines == 1 ? "baseline"
                        : Plural(baselines, "baseline", "baselines");
  s += " + " + Plural(count("keep"), "keep", "keeps");
  size_t wrong = 0;
  for (const ResultRow* r : g.rows) wrong += FailureOf(*r) == &kFailures[0];
  if (count("discard") > 0) {
    s += ", " + Plural(count("discard"), "discard", "discards");
    if (wrong > 0) s += " (" + std::to_string(wrong) + " failed correctness)";
  }
  if (count("crash") > 0) s += ", " + Plural(count("crash"), "crash", "crashes");
  if (count("timeout") > 0) s += ", " + Plural(count("timeout"), "timeout", "timeouts");
  if (count("invalid") > 0) s += ", " + std::to_string(count("invalid")) + " invalid";
  return s;
}

// A legend symbol centred at (x, y): the chart's own marks, or a failure's.
std::string Symbol(const std::string& kind, double x, double y) {
  if (kind == "kept") return Circle(x, y, "5.5", "kept");
  if (kind == "discard") return Circle(x, y, "4", "discard");
  if (kind == "best") return Line(x - 6, x + 16, y, y, "best");
  if (kind == "ci") return Line(x, x, y - 6, y + 6, "ci");
  return Marker(kind, x, y);
}

// Every mark the chart uses, flowed into rows; sets `*height`.
std::string Legend(const TargetReport& g, double y, double* height) {
  std::vector<std::pair<std::string, std::string>> items = {
      {"kept", "kept (#trial)"}, {"discard", "discarded"}, {"best", "running best"}};
  bool ci = false;
  for (const ResultRow* r : g.frontier) ci = ci || !std::isnan(r->speedup_ci_lo);
  if (ci) items.push_back({"ci", "90% CI"});
  for (const FailureKind& k : kFailures) {
    bool used = false;
    for (const ResultRow* r : g.rows) used = used || FailureOf(*r) == &k;
    if (used) items.push_back({k.cls, k.label});
  }
  std::string s;
  double x = kLeft, row_y = y;
  for (const auto& [kind, label] : items) {
    const double w = 28 + TextWidth(label, 11) + 18;
    if (x > kLeft && x + w > kWidth - kRight) {
      x = kLeft;
      row_y += kRowHeight;
    }
    s += Symbol(kind, x + 6, row_y) + Text(x + 28, row_y + 4, "tick", label);
    x += w;
  }
  *height = row_y - y + kRowHeight;
  return s;
}

std::string Axes(const Frame& f) {
  std::string s;
  for (double v = f.lo; v <= f.hi + f.step / 2; v += f.step) {
    s += Line(kLeft, kWidth - kRight, f.Y(v), f.Y(v), "grid");
    s += Text(kLeft - 8, f.Y(v) + 4, "tick", Fixed(v, f.step < 0.1 ? "%.2fx" : "%.1fx"), "end");
  }
  const size_t xstep =
      std::max<size_t>(1, static_cast<size_t>(TickStep(static_cast<double>(f.n), 10)));
  for (size_t t = 1; t <= f.n; t += (t == 1 && xstep > 1 ? xstep - 1 : xstep)) {
    s += Line(f.X(t), f.X(t), f.bottom, f.bottom + 5, "axis");
    s += Text(f.X(t), f.bottom + 19, "tick", std::to_string(t), "middle");
  }
  s += Line(kLeft, kWidth - kRight, f.bottom, f.bottom, "axis");
  s += Line(kLeft, kLeft, f.top, f.bottom, "axis");
  s += Text(kLeft + (kWidth - kLeft - kRight) / 2, f.bottom + 40, "label", "trial #", "middle");
  s += "<text transform=\"translate(" + F(22) + "," + F((f.top + f.bottom) / 2) +
       ") rotate(-90)\" class=\"label\" text-anchor=\"middle\">"
       "speed-up vs scalar reference</text>\n";
  return s;
}

// Running-best step line through the kept trials, extended to the end.
std::string BestLine(const TargetReport& g, const Frame& f) {
  std::string path;
  bool started = false;
  for (size_t i = 0; i < f.n; ++i) {
    const ResultRow* r = g.rows[i];
    if (!r->kept() || std::isnan(r->speedup)) continue;
    const double x = f.X(i + 1);
    if (r->keep == "baseline" || !started) {
      path += (path.empty() ? "M" : " M") + F(x) + "," + F(f.Y(r->speedup));
    } else {
      path += " H" + F(x) + " V" + F(f.Y(r->speedup));
    }
    started = true;
  }
  if (path.empty()) return "";
  return "<path d=\"" + path + " H" + F(f.X(f.n)) + "\" class=\"best\"/>\n";
}

// Discards faint, kept trials highlighted with CI whiskers, failures as
// markers on a band above the x axis (they have no speed-up to place).
std::string Points(const TargetReport& g, const Frame& f) {
  std::string s;
  for (size_t i = 0; i < f.n; ++i) {
    const ResultRow* r = g.rows[i];
    const double x = f.X(i + 1);
    const std::string tip = "<title>" + TrialTag(i + 1) + " " + Esc(r->keep) + " " +
                            Esc(r->commit) + " x" + Fixed(r->speedup, "%.3f") + " " +
                            Esc(r->description) + "</title>";
    if (const FailureKind* failure = FailureOf(*r)) {
      s += Marker(failure->cls, x, f.bottom - 12, tip);
    } else if (r->kept()) {
      if (!std::isnan(r->speedup_ci_lo)) {
        s += Line(x, x, f.Y(r->speedup_ci_lo), f.Y(r->speedup_ci_hi), "ci");
      }
      s += Circle(x, f.Y(r->speedup), "5.5", "kept", tip);
    } else {
      s += Circle(x, f.Y(r->speedup), "4", "discard", tip);
    }
  }
  return s;
}

struct Box {
  double x0, y0, x1, y1;
  bool Overlaps(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};

// "#trial" by each kept point, at the first of a few spots (above, below,
// then further out) that hits no earlier label, no point, and stays inside
// the plot clear of the failure band; a crowded chart takes the least bad.
std::string KeptLabels(const TargetReport& g, const Frame& f) {
  constexpr double kPx = 11;
  auto box = [&](double x, double y, double w) {
    return Box{x - w / 2, y - 0.8 * kPx, x + w / 2, y + 0.25 * kPx};
  };
  std::vector<Box> points, placed;
  for (size_t i = 0; i < f.n; ++i) {
    if (std::isnan(g.rows[i]->speedup)) continue;
    const double x = f.X(i + 1), y = f.Y(g.rows[i]->speedup);
    points.push_back({x - 5, y - 5, x + 5, y + 5});
  }
  std::string s;
  for (size_t i = 0; i < f.n; ++i) {
    const ResultRow* r = g.rows[i];
    if (!r->kept() || std::isnan(r->speedup)) continue;
    const std::string label = TrialTag(i + 1);
    const double w = TextWidth(label, kPx, true);
    const double x = std::clamp(f.X(i + 1), w / 2 + 2, kWidth - w / 2 - 2), y = f.Y(r->speedup);
    double chosen = y - 9;
    int least = -1;
    for (double dy : {-9.0, 19.0, -22.0, 32.0, -35.0, 45.0}) {
      const Box b = box(x, y + dy, w);
      int score = b.y0 < f.top || b.y1 > f.bottom - 20 ? 1000 : 0;
      for (const Box& o : placed) score += 100 * b.Overlaps(o);
      for (const Box& o : points) score += b.Overlaps(o);
      if (least < 0 || score < least) {
        least = score;
        chosen = y + dy;
      }
    }
    placed.push_back(box(x, chosen, w));
    s += Text(x, chosen, "note", label, "middle");
  }
  return s;
}

// The kept trials in order, as `lar report` lists its frontier: commit,
// speed-up, the step's gain as the gate measured it, description.
std::string KeptTable(const TargetReport& g, double y, double* height) {
  *height = 0;
  if (g.frontier.empty()) return "";
  const size_t columns = g.frontier.size() > kOneColumnRows ? 2 : 1;
  const size_t rows = (g.frontier.size() + columns - 1) / columns;
  const double column_w = (kWidth - kLeft - 10) / static_cast<double>(columns);
  std::string s = Text(kLeft, y, "label",
                       "kept trials (#trial as marked; step = gain the gate measured in-loop, "
                       "* = cross-run)");
  const size_t first_step = g.frontier.size() - g.steps.size();
  for (size_t k = 0; k < g.frontier.size(); ++k) {
    const ResultRow* r = g.frontier[k];
    const auto at = std::find(g.rows.begin(), g.rows.end(), r);
    const size_t trial = static_cast<size_t>(at - g.rows.begin()) + 1;
    const double x = kLeft + column_w * static_cast<double>(k / rows);
    const double row_y = y + kRowHeight * static_cast<double>(1 + k % rows) + 2;
    std::string step = r->keep;
    if (k >= first_step) {
      const Step& st = g.steps[k - first_step];
      step = std::isnan(st.gain) ? Fixed(100.0 * st.cross_run, "%+.1f%%*")
                                 : Fixed(100.0 * st.gain, "%+.1f%%");
    }
    s += Text(x, row_y, "cell key", TrialTag(trial));
    s += Text(x + 36, row_y, "cell", Fit(r->commit, 52, 11));
    s += Text(x + 96, row_y, "cell", Fixed(r->speedup, "x%.3f"));
    s += Text(x + 156, row_y, "cell", step);
    s += Text(x + 222, row_y, "cell", Fit(r->description, column_w - 232, 11));
  }
  *height = kRowHeight * static_cast<double>(rows + 1);
  return s;
}

// One group's chart from `y0` down; sets `*height`.
std::string Chart(const TargetReport& g, double y0, double* height) {
  const double text_w = kWidth - kLeft - 10;
  const std::string cpu = g.context.value("cpu_model", "");
  const std::string title =
      g.target + " [" + g.isa + "] — speed-up vs scalar reference · machine " + g.machine;
  std::string s = Text(kLeft, y0 + 24, "title", Fit(title, text_w, 16, true));
  // The counts come first: a long CPU name is what gets cut.
  s += Text(kLeft, y0 + 42, "sub",
            Fit(CountsLine(g) + (cpu.empty() ? "" : " · " + cpu), text_w, 12));
  double legend_h = 0;
  s += Legend(g, y0 + 62, &legend_h);
  const Frame f = MakeFrame(g, y0 + 62 + legend_h + 6);
  s += Axes(f) + BestLine(g, f) + Points(g, f) + KeptLabels(g, f);
  double table_h = 0;
  s += KeptTable(g, f.bottom + 68, &table_h);
  *height = f.bottom + 68 + table_h + 12 - y0;
  return s;
}

}  // namespace

std::string RenderReportSvg(const Report& r) {
  std::string charts;
  double y = 0;
  for (size_t i = 0; i < r.groups.size(); ++i) {
    // A rule between charts tells where one (machine, target, ISA) ends.
    if (i > 0) charts += Line(10, kWidth - 10, y, y, "rule");
    double h = 0;
    charts += Chart(r.groups[i], y, &h);
    y += h;
  }
  if (r.groups.empty()) {
    charts = Text(40, 60, "title", "no trials");
    y = 100;
  }
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + F(kWidth) +
                  "\" height=\"" + F(y) + "\" viewBox=\"0 0 " + F(kWidth) + " " + F(y) +
                  "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n";
  s += "<style>\n"
       ".title{font-size:16px;font-weight:bold;fill:#222}\n"
       ".sub{font-size:12px;fill:#555}\n"
       ".label{font-size:13px;fill:#333}\n"
       ".tick{font-size:11px;fill:#444}\n"
       ".note{font-size:11px;font-weight:bold;fill:#1b5e20}\n"
       ".cell{font-size:11px;fill:#333}\n"
       ".key{font-weight:bold;fill:#1b5e20}\n"
       ".grid{stroke:#e6e6e6;stroke-width:1}\n"
       ".axis{stroke:#555;stroke-width:1}\n"
       ".rule{stroke:#bbb;stroke-width:1}\n"
       ".best{fill:none;stroke:#2e7d32;stroke-width:2}\n"
       ".ci{stroke:#2e7d32;stroke-width:1.5}\n"
       ".kept{fill:#43a047;stroke:#1b5e20;stroke-width:1.5}\n"
       ".discard{fill:#9e9e9e;fill-opacity:0.35;stroke:#757575;stroke-opacity:0.5}\n"
       ".wrong path{fill:none;stroke:#c2185b;stroke-width:2}\n"
       ".crash path{stroke:#d32f2f;stroke-width:2.5}\n"
       ".timeout path{stroke:#ef6c00;stroke-width:2.5}\n"
       ".invalid path{stroke:#6a1b9a;stroke-width:2.5}\n"
       ".unmeasured path{stroke:#757575;stroke-width:2}\n"
       "</style>\n";
  s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  return s + charts + "</svg>\n";
}

}  // namespace lar
