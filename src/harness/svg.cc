// The report's SVG progress chart, like the autoresearch one: x = trial
// number, y = speed-up vs the scalar reference; kept trials highlighted and
// joined by the running-best step line, discards faint, failures marked.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "harness/report.h"

namespace lar {
namespace {

constexpr double kWidth = 960, kHeight = 440;
constexpr double kLeft = 80, kRight = 30, kTop = 56, kBottom = 64;

std::string Esc(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string F(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f", v);
  return buf;
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

std::string Chart(const TargetReport& g, double y0) {
  std::string s;
  const size_t n = g.rows.size();
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
  const double pad = std::max((hi - lo) * 0.12, hi * 0.01);
  lo = std::max(0.0, lo - pad);
  hi += pad;
  const double step = TickStep(hi - lo, 6);
  lo = std::floor(lo / step) * step;
  hi = std::ceil(hi / step) * step;
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  auto X = [&](size_t trial) {
    return kLeft + (n <= 1 ? plot_w / 2 : plot_w * static_cast<double>(trial - 1) / static_cast<double>(n - 1));
  };
  auto Y = [&](double v) { return y0 + kTop + plot_h * (1.0 - (v - lo) / (hi - lo)); };
  const double bottom = y0 + kTop + plot_h;

  const std::string cpu = g.context.value("cpu_model", "");
  s += "<text x=\"" + F(kLeft) + "\" y=\"" + F(y0 + 26) +
       "\" class=\"title\">" + Esc(g.target) + " — speed-up vs scalar reference, " + Esc(g.isa) +
       (cpu.empty() ? "" : ", " + Esc(cpu)) + "</text>\n";
  s += "<text x=\"" + F(kLeft) + "\" y=\"" + F(y0 + 44) + "\" class=\"sub\">machine " +
       Esc(g.machine) + " · " + std::to_string(n) + " trials · " +
       std::to_string(g.frontier.size()) + " kept</text>\n";
  // Grid and y axis.
  for (double v = lo; v <= hi + step / 2; v += step) {
    char label[32];
    std::snprintf(label, sizeof(label), step < 0.1 ? "%.2fx" : "%.1fx", v);
    s += "<line x1=\"" + F(kLeft) + "\" x2=\"" + F(kWidth - kRight) + "\" y1=\"" + F(Y(v)) +
         "\" y2=\"" + F(Y(v)) + "\" class=\"grid\"/>\n";
    s += "<text x=\"" + F(kLeft - 8) + "\" y=\"" + F(Y(v) + 4) + "\" class=\"tick\" text-anchor=\"end\">" +
         label + "</text>\n";
  }
  // x ticks.
  const size_t xstep = std::max<size_t>(1, static_cast<size_t>(TickStep(static_cast<double>(n), 10)));
  for (size_t t = 1; t <= n; t += (t == 1 && xstep > 1 ? xstep - 1 : xstep)) {
    s += "<line x1=\"" + F(X(t)) + "\" x2=\"" + F(X(t)) + "\" y1=\"" + F(bottom) + "\" y2=\"" +
         F(bottom + 5) + "\" class=\"axis\"/>\n";
    s += "<text x=\"" + F(X(t)) + "\" y=\"" + F(bottom + 19) + "\" class=\"tick\" text-anchor=\"middle\">" +
         std::to_string(t) + "</text>\n";
  }
  s += "<line x1=\"" + F(kLeft) + "\" x2=\"" + F(kWidth - kRight) + "\" y1=\"" + F(bottom) +
       "\" y2=\"" + F(bottom) + "\" class=\"axis\"/>\n";
  s += "<line x1=\"" + F(kLeft) + "\" x2=\"" + F(kLeft) + "\" y1=\"" + F(y0 + kTop) + "\" y2=\"" +
       F(bottom) + "\" class=\"axis\"/>\n";
  s += "<text x=\"" + F(kLeft + plot_w / 2) + "\" y=\"" + F(bottom + 42) +
       "\" class=\"label\" text-anchor=\"middle\">trial #</text>\n";
  s += "<text transform=\"translate(" + F(22) + "," + F(y0 + kTop + plot_h / 2) +
       ") rotate(-90)\" class=\"label\" text-anchor=\"middle\">speed-up vs scalar reference</text>\n";

  // Running-best step line through the kept trials, extended to the end.
  std::string path;
  double best = NAN;
  for (size_t i = 0; i < n; ++i) {
    const ResultRow* r = g.rows[i];
    if (!r->kept() || std::isnan(r->speedup)) continue;
    const double x = X(i + 1);
    if (r->keep == "baseline" || std::isnan(best)) {
      path += (path.empty() ? "M" : " M") + F(x) + "," + F(Y(r->speedup));
    } else {
      path += " H" + F(x) + " V" + F(Y(r->speedup));
    }
    best = r->speedup;
  }
  if (!path.empty()) {
    path += " H" + F(X(n));
    s += "<path d=\"" + path + "\" class=\"best\"/>\n";
  }
  // Points: discards faint, kept highlighted with CI whiskers and labels,
  // failures as crosses on the bottom band.
  for (size_t i = 0; i < n; ++i) {
    const ResultRow* r = g.rows[i];
    const double x = X(i + 1);
    const std::string tip = "<title>#" + std::to_string(i + 1) + " " + Esc(r->keep) + " " +
                            Esc(r->commit) + " x" +
                            (std::isnan(r->speedup) ? std::string("n/a") : F(r->speedup)) + " " +
                            Esc(r->description) + "</title>";
    if (std::isnan(r->speedup)) {
      const double y = bottom - 12;
      const std::string cls = r->keep == "crash" ? "crash" : r->keep == "timeout" ? "timeout" : "invalid";
      s += "<g class=\"" + cls + "\"><path d=\"M" + F(x - 5) + "," + F(y - 5) + " L" + F(x + 5) +
           "," + F(y + 5) + " M" + F(x - 5) + "," + F(y + 5) + " L" + F(x + 5) + "," + F(y - 5) +
           "\"/>" + tip + "</g>\n";
      continue;
    }
    if (r->kept()) {
      if (!std::isnan(r->speedup_ci_lo)) {
        s += "<line x1=\"" + F(x) + "\" x2=\"" + F(x) + "\" y1=\"" + F(Y(r->speedup_ci_lo)) +
             "\" y2=\"" + F(Y(r->speedup_ci_hi)) + "\" class=\"ci\"/>\n";
      }
      s += "<circle cx=\"" + F(x) + "\" cy=\"" + F(Y(r->speedup)) + "\" r=\"5.5\" class=\"kept\">" +
           tip + "</circle>\n";
      std::string label = r->keep == "baseline" ? "baseline" : r->description;
      if (label.size() > 28) label = label.substr(0, 25) + "...";
      s += "<text x=\"" + F(x + 4) + "\" y=\"" + F(Y(r->speedup) - 10) +
           "\" class=\"note\" transform=\"rotate(-28 " + F(x + 4) + " " + F(Y(r->speedup) - 10) +
           ")\">" + Esc(label) + "</text>\n";
    } else {
      s += "<circle cx=\"" + F(x) + "\" cy=\"" + F(Y(r->speedup)) + "\" r=\"4\" class=\"discard\">" +
           tip + "</circle>\n";
    }
  }
  // Legend.
  const double lx = kWidth - kRight - 330, ly = y0 + 40;
  s += "<circle cx=\"" + F(lx) + "\" cy=\"" + F(ly) + "\" r=\"5.5\" class=\"kept\"/>"
       "<text x=\"" + F(lx + 10) + "\" y=\"" + F(ly + 4) + "\" class=\"tick\">kept</text>\n";
  s += "<circle cx=\"" + F(lx + 60) + "\" cy=\"" + F(ly) + "\" r=\"4\" class=\"discard\"/>"
       "<text x=\"" + F(lx + 70) + "\" y=\"" + F(ly + 4) + "\" class=\"tick\">discarded</text>\n";
  s += "<line x1=\"" + F(lx + 140) + "\" x2=\"" + F(lx + 165) + "\" y1=\"" + F(ly) + "\" y2=\"" +
       F(ly) + "\" class=\"best\"/><text x=\"" + F(lx + 170) + "\" y=\"" + F(ly + 4) +
       "\" class=\"tick\">running best</text>\n";
  s += "<g class=\"crash\"><path d=\"M" + F(lx + 255) + "," + F(ly - 4) + " L" + F(lx + 263) + "," +
       F(ly + 4) + " M" + F(lx + 255) + "," + F(ly + 4) + " L" + F(lx + 263) + "," + F(ly - 4) +
       "\"/></g><text x=\"" + F(lx + 268) + "\" y=\"" + F(ly + 4) + "\" class=\"tick\">crash/timeout</text>\n";
  return s;
}

}  // namespace

std::string RenderReportSvg(const Report& r) {
  const size_t charts = std::max<size_t>(1, r.groups.size());
  const double height = kHeight * static_cast<double>(charts);
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + F(kWidth) +
                  "\" height=\"" + F(height) + "\" viewBox=\"0 0 " + F(kWidth) + " " + F(height) +
                  "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n";
  s += "<style>\n"
       ".title{font-size:16px;font-weight:bold;fill:#222}\n"
       ".sub{font-size:12px;fill:#666}\n"
       ".label{font-size:13px;fill:#333}\n"
       ".tick{font-size:11px;fill:#444}\n"
       ".note{font-size:10px;fill:#1b5e20}\n"
       ".grid{stroke:#e6e6e6;stroke-width:1}\n"
       ".axis{stroke:#555;stroke-width:1}\n"
       ".best{fill:none;stroke:#2e7d32;stroke-width:2}\n"
       ".ci{stroke:#2e7d32;stroke-width:1.5}\n"
       ".kept{fill:#43a047;stroke:#1b5e20;stroke-width:1.5}\n"
       ".discard{fill:#9e9e9e;fill-opacity:0.35;stroke:#757575;stroke-opacity:0.5}\n"
       ".crash path{stroke:#d32f2f;stroke-width:2.5}\n"
       ".timeout path{stroke:#ef6c00;stroke-width:2.5}\n"
       ".invalid path{stroke:#6a1b9a;stroke-width:2.5}\n"
       "</style>\n";
  s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  if (r.groups.empty()) {
    s += "<text x=\"40\" y=\"60\" class=\"title\">no trials</text>\n";
  }
  for (size_t i = 0; i < r.groups.size(); ++i) s += Chart(r.groups[i], kHeight * static_cast<double>(i));
  s += "</svg>\n";
  return s;
}

}  // namespace lar
