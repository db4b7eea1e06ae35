#!/usr/bin/python3
"""scikit-learn's side of `./mlops bench --only models`: the same data, split, preprocessing and grid as the platform.

    sklearn_models.py export --out DIR
        writes the data sets Debian's python3-sklearn ships as CSV (every feature, then the column "target"):
        DIR/breast_cancer.csv (classification) and DIR/diabetes.csv (regression); prints one JSON line
        {"sklearn_version", "datasets": {name: {"csv", "rows", "features", "task"}}}

    sklearn_models.py fit --data CSV --task classification|regression --model TYPE --grid JSON
                          [--cv 3] [--test-size 0.2] [--seed 42]
        reads the CSV as the platform does, splits it with train_test_split(test_size, random_state=seed) (no
        stratify: the platform's default), fits median imputation + standard scaling on the training rows (the
        platform's preprocessing with split.fitOn "train"), runs GridSearchCV(model(random_state=seed), grid, cv,
        n_jobs=-1) on them and scores the best model on the test rows; prints one JSON line with the figures.

    sklearn_models.py make --rows N --out CSV [--features 20] [--seed 42]
        writes make_classification(n_samples=N, n_features, random_state=seed) as CSV (columns f0..f19, then
        "target" 0/1; values with 6 significant digits, so a million rows stay under ingest's 256 MB); prints one
        JSON line {"csv", "rows", "features", "bytes", "seconds"}

TYPE is random_forest, gradient_boosting or logistic_regression (classification only). The grid is a JSON object of
scikit-learn parameter names to value lists (null for None). Only numpy and scikit-learn: no pandas. Progress goes to
stderr.
"""
import argparse
import csv
import json
import os
import platform
import sys
import time

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_diabetes, make_classification
from sklearn.ensemble import (GradientBoostingClassifier, GradientBoostingRegressor, RandomForestClassifier,
                              RandomForestRegressor)
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, mean_absolute_error, mean_squared_error, r2_score
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

TARGET = "target"
DATASETS = {
    "breast_cancer": (load_breast_cancer, "classification"),
    "diabetes": (load_diabetes, "regression"),
}
MODELS = {
    ("classification", "random_forest"): RandomForestClassifier,
    ("classification", "gradient_boosting"): GradientBoostingClassifier,
    ("classification", "logistic_regression"): LogisticRegression,
    ("regression", "random_forest"): RandomForestRegressor,
    ("regression", "gradient_boosting"): GradientBoostingRegressor,
}


def log(msg):
    print(f"[sklearn_models] {msg}", file=sys.stderr, flush=True)


def export(out):
    os.makedirs(out, exist_ok=True)
    datasets = {}
    for name, (load, task) in DATASETS.items():
        bunch = load()
        features = [str(f) for f in bunch.feature_names]
        path = os.path.join(os.path.abspath(out), name + ".csv")
        with open(path, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(features + [TARGET])
            for row, y in zip(bunch.data, bunch.target):
                # repr: the shortest text that reads back as the same double, on both sides
                writer.writerow([repr(float(v)) for v in row]
                                + [str(int(y)) if task == "classification" else repr(float(y))])
        datasets[name] = {"csv": path, "rows": int(len(bunch.target)), "features": features, "task": task}
        log(f"{name}: {len(bunch.target)} rows x {len(features)} features -> {path}")
    return {"sklearn_version": sklearn.__version__, "datasets": datasets}


def make(args):
    t0 = time.perf_counter()
    X, y = make_classification(n_samples=args.rows, n_features=args.features, random_state=args.seed)
    features = [f"f{i}" for i in range(args.features)]
    out = os.path.abspath(args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    data = np.column_stack([X, y])
    formats = ["%.6g"] * args.features + ["%d"]
    np.savetxt(out, data, fmt=formats, delimiter=",", header=",".join(features + [TARGET]), comments="")
    seconds = time.perf_counter() - t0
    log(f"make_classification: {args.rows} rows x {args.features} features -> {out} in {seconds:.1f} s")
    return {"csv": out, "rows": args.rows, "features": features, "bytes": os.path.getsize(out),
            "seconds": round(seconds, 3), "sklearn_version": sklearn.__version__}


def read_csv(path):
    try:
        # all-numeric files (the scale section's, a million rows): numpy reads them far faster than csv rows
        with open(path) as f:
            header = f.readline().strip().split(",")
        data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
        target = header.index(TARGET)
        features = [c for i, c in enumerate(header) if i != target]
        y = data[:, target]
        labels = [str(int(v)) for v in y] if np.all(y == np.round(y)) else [repr(float(v)) for v in y]
        return features, np.delete(data, target, axis=1), labels
    except ValueError:
        pass
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    target = header.index(TARGET)
    features = [c for i, c in enumerate(header) if i != target]
    X = np.array([[float(v) if v != "" else np.nan for i, v in enumerate(r) if i != target] for r in body])
    y = [r[target] for r in body]
    return features, X, y


def fit(args):
    features, X, y = read_csv(args.data)
    y = np.array(y) if args.task == "classification" else np.array([float(v) for v in y])
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=args.test_size, random_state=args.seed)
    preprocess = Pipeline([("imputer", SimpleImputer(strategy="median")), ("scaler", StandardScaler())])
    X_train = preprocess.fit_transform(X_train)
    X_test = preprocess.transform(X_test)

    grid = json.loads(args.grid)
    model = MODELS[(args.task, args.model)](random_state=args.seed)
    scoring = "accuracy" if args.task == "classification" else "r2"
    search = GridSearchCV(model, param_grid=grid, cv=args.cv, n_jobs=-1, scoring=scoring)
    candidates = int(np.prod([len(v) for v in grid.values()]))
    log(f"{args.model} ({args.task}) on {args.data}: {candidates} candidates x {args.cv} folds, "
        f"train {len(y_train)} / test {len(y_test)} rows, n_jobs=-1 on {os.cpu_count()} CPUs")
    t0 = time.perf_counter()
    search.fit(X_train, y_train)
    seconds = time.perf_counter() - t0
    predicted = search.best_estimator_.predict(X_test)
    log(f"done in {seconds:.2f} s: best {search.best_params_} cv={search.best_score_:.4f}")

    result = {
        "tool": "sklearn_models",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "cpus": os.cpu_count(),
        "data": os.path.abspath(args.data),
        "task": args.task,
        "model": args.model,
        "features": len(features),
        "train_size": int(len(y_train)),
        "test_size": int(len(y_test)),
        "param_grid": grid,
        "n_candidates": candidates,
        "cv_folds": args.cv,
        "best_params": search.best_params_,
        "best_cv_score": search.best_score_,
        # search.fit: every candidate on every fold, then the refit of the best on the whole training split
        "grid_search_seconds": round(seconds, 4),
        "refit_seconds": round(search.refit_time_, 4),
    }
    if args.task == "classification":
        result["accuracy"] = accuracy_score(y_test, predicted)
    else:
        result["r2"] = r2_score(y_test, predicted)
        result["rmse"] = float(np.sqrt(mean_squared_error(y_test, predicted)))
        result["mae"] = mean_absolute_error(y_test, predicted)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    export_args = commands.add_parser("export", help="write the data sets as CSV")
    export_args.add_argument("--out", required=True, help="folder for the CSV files")
    fit_args = commands.add_parser("fit", help="grid search on one CSV, scored on its test split")
    fit_args.add_argument("--data", required=True, help="a CSV written by export")
    fit_args.add_argument("--task", required=True, choices=["classification", "regression"])
    fit_args.add_argument("--model", required=True, choices=sorted({m for _, m in MODELS}))
    fit_args.add_argument("--grid", required=True, help="JSON: scikit-learn parameter name -> list of values")
    fit_args.add_argument("--cv", type=int, default=3)
    fit_args.add_argument("--test-size", type=float, default=0.2)
    fit_args.add_argument("--seed", type=int, default=42)
    make_args = commands.add_parser("make", help="write a make_classification data set as CSV")
    make_args.add_argument("--rows", type=int, required=True)
    make_args.add_argument("--out", required=True, help="the CSV file to write")
    make_args.add_argument("--features", type=int, default=20)
    make_args.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    if args.command == "fit" and (args.task, args.model) not in MODELS:
        parser.error(f"no {args.model} for {args.task}")
    commands = {"export": lambda: export(args.out), "make": lambda: make(args), "fit": lambda: fit(args)}
    print(json.dumps(commands[args.command]()))


if __name__ == "__main__":
    main()
