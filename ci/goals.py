#!/usr/bin/env python3
"""The report's goals: each goal of allure/goals.json, per model, with its measured value, threshold, margin and trend.

Run by ci/report.sh in two steps:
  goals.py --results DIR --goals allure/goals.json --history H --widget W --run N
      reads the figures the scenarios attached (Allure parameters) from DIR, writes one Allure result per goal
      and model into DIR (epic "1. Goals", first in the Behaviors tab, each with Allure's own history of its
      verdict) and the Overview widget's data to W (allure/goals-plugin shows it above every other widget);
  goals.py --record --widget W --history H
      once the report is built, appends this run's values to the goals' history H (JSON lines), which gives
      the next run its trend.
"""
import argparse
import glob
import hashlib
import html
import json
import os
import time
import uuid

GOAL_LABEL = "heavykv-goal"
EPIC = "1. Goals"
TREND_RUNS = 10


def load_results(results):
    loaded = []
    for path in glob.glob(os.path.join(results, "*-result.json")):
        with open(path, encoding="utf-8") as f:
            result = json.load(f)
        if any(label.get("name") == GOAL_LABEL for label in result.get("labels", [])):
            os.remove(path)  # written by an earlier report of the same results
            continue
        loaded.append(result)
    return loaded


def tags(result):
    return {label["value"].lstrip("@") for label in result.get("labels", []) if label.get("name") == "tag"}


def parameter(result, name):
    for p in result.get("parameters", []):
        if p.get("name") == name:
            return p.get("value")
    return None


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def history_values(history_file):
    runs = []
    if os.path.exists(history_file):
        with open(history_file, encoding="utf-8") as f:
            runs = [json.loads(line) for line in f if line.strip()]
    return runs


def judge(goal, model, scenarios):
    """One goal on one model: the worst figure of its scenarios against the threshold."""
    figure, threshold, at_least = goal.get("figure"), goal.get("threshold"), goal["direction"] == "at least"
    unfinished = [r["name"] for r in scenarios if r.get("status") != "passed"]
    if figure is None:
        value = (len(scenarios) - len(unfinished)) / len(scenarios) if scenarios else None
        worst_name = f"{len(scenarios) - len(unfinished)} of {len(scenarios)} scenarios passed"
    else:
        measured = [(number(parameter(r, figure)), r["name"]) for r in scenarios]
        measured = [(v, n) for v, n in measured if v is not None]
        value, worst_name = (min(measured) if at_least else max(measured)) if measured else (None, None)
    if value is None or threshold is None:
        margin, status = None, "skipped"
    else:
        margin = (value - threshold) / threshold if at_least else (threshold - value) / threshold
        status = "passed" if margin >= 0 and not unfinished else "failed"
    return {"goal": goal["id"], "name": goal["name"], "model": model, "figure": figure or "scenarios passed",
            "direction": goal["direction"], "threshold": threshold, "value": value, "margin": margin,
            "status": status, "scenarios": len(scenarios), "unfinished": unfinished, "worst": worst_name}


def evaluate(goals, results):
    rows = []
    for goal in goals:
        tagged = [r for r in results if goal["tag"] in tags(r)]
        models = sorted({parameter(r, "model") or "(model not named)" for r in tagged})
        if not models:
            rows.append(judge(goal, "(not measured in this run)", []))
        for model in models:
            rows.append(judge(goal, model, [r for r in tagged if (parameter(r, "model") or "(model not named)") == model]))
    return rows


def fmt(x, percent=False):
    if x is None:
        return "-"
    return f"{x * 100:+.1f}%" if percent else f"{x:.4g}"


def message(row):
    if row["value"] is None:
        return ("not measured in this run" if row["scenarios"] == 0 else "no scenario attached the figure") + \
               ("" if row["threshold"] is not None else "; no threshold set yet")
    text = (f"{row['figure']} = {fmt(row['value'])}, {row['direction']} {fmt(row['threshold'])}: margin "
            f"{fmt(row['margin'], True)} (worst of {row['scenarios']} scenarios: {row['worst']})")
    if row["unfinished"]:
        text += f"; {len(row['unfinished'])} tagged scenarios did not pass: " + "; ".join(row["unfinished"])
    return text


def write_result(results, row, trend):
    """One Allure result per goal and model, so Allure's history and retries track each goal like a test."""
    key = f"{row['goal']}|{row['model']}"
    uid = str(uuid.uuid4())
    attachment = f"{uid}-attachment.html"
    rows_html = "".join(f"<tr><td>{html.escape(str(t['run']))}</td><td>{fmt(t['value'])}</td></tr>" for t in trend)
    with open(os.path.join(results, attachment), "w", encoding="utf-8") as f:
        f.write(f"<html><body><h3>{html.escape(row['name'])} ({html.escape(row['model'])})</h3>"
                f"<p>{html.escape(message(row))}</p><table border='1'><tr><th>run</th><th>{html.escape(row['figure'])}</th></tr>"
                f"{rows_html}</table></body></html>")
    now = int(time.time() * 1000)
    result = {
        "uuid": uid, "historyId": hashlib.md5(key.encode()).hexdigest(), "fullName": f"goals.{key}",
        "name": f"{row['name']} ({row['model']})", "status": row["status"], "stage": "finished",
        # The trace is what the report's categories match against: a goal missed is filed as a figure out of bounds.
        "statusDetails": {"message": message(row), "trace": message(row)}, "start": now, "stop": now,
        "labels": [{"name": "epic", "value": EPIC}, {"name": "feature", "value": row["name"]},
                   {"name": "story", "value": row["model"]}, {"name": "suite", "value": "Goals"},
                   {"name": GOAL_LABEL, "value": row["goal"]}],
        "parameters": [{"name": "measured", "value": fmt(row["value"])},
                       {"name": "threshold", "value": f"{row['direction']} {fmt(row['threshold'])}"},
                       {"name": "margin", "value": fmt(row["margin"], True)}],
        "attachments": [{"name": "goal and its trend", "source": attachment, "type": "text/html"}],
    }
    with open(os.path.join(results, f"{uid}-result.json"), "w", encoding="utf-8") as f:
        json.dump(result, f)


def build(args):
    with open(args.goals, encoding="utf-8") as f:
        goals = json.load(f)["goals"]
    rows = evaluate(goals, load_results(args.results))
    past = history_values(args.history)[-(TREND_RUNS - 1):]
    for row in rows:
        key = f"{row['goal']}|{row['model']}"
        row["trend"] = [{"run": run["run"], "value": run["values"][key]} for run in past if key in run.get("values", {})]
        row["trend"].append({"run": args.run, "value": row["value"]})
        row["message"] = message(row)
        write_result(args.results, row, row["trend"])
    with open(args.widget, "w", encoding="utf-8") as f:
        json.dump({"run": args.run, "items": rows}, f, indent=1)


def record(args):
    with open(args.widget, encoding="utf-8") as f:
        widget = json.load(f)
    values = {f"{r['goal']}|{r['model']}": r["value"] for r in widget["items"] if r["value"] is not None}
    runs = [r for r in history_values(args.history) if r.get("run") != widget["run"]]
    runs.append({"run": widget["run"], "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "values": values})
    os.makedirs(os.path.dirname(args.history), exist_ok=True)
    with open(args.history, "w", encoding="utf-8") as f:
        f.writelines(json.dumps(r) + "\n" for r in runs[-100:])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results")
    parser.add_argument("--goals")
    parser.add_argument("--history", required=True)
    parser.add_argument("--widget", required=True)
    parser.add_argument("--run", type=int)
    parser.add_argument("--record", action="store_true")
    arguments = parser.parse_args()
    record(arguments) if arguments.record else build(arguments)
