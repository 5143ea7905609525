#!/usr/bin/env python3
"""Writes a generated monorepo of Azure Functions apps for benchmarks and robustness runs.

Usage: gen-monorepo.py OUT_DIR [--apps N] [--seed S] [--shape SHAPE] [--decoys N]
                       [--decoy-depth D] [--nesting D] [--app-size N] [--git]

Each app gets host.json (every backend: Azure Storage default/explicit/typeless, MSSQL,
Netherite, DTS; about half JSONC with comments and trailing commas, a third CRLF, a fifth with
a BOM), local.settings.json, and a project file or language manifest for its hosting model
(.NET isolated, in-process, Python, Node, Java, PowerShell). Some team folders use Central
Package Management (Directory.Packages.props). The root is a git repository whose .gitignore
lists local.settings.json, and every app holds decoy bin/ obj/ node_modules/ folders with files
of the same names, which a correct walk never reads.

Shapes (--shape; an option given explicitly overrides the shape's value):

  classic      the tree of earlier benchmarks (the default; byte for byte the tree of the
               generator before shapes existed): 6 decoys per app in bin/Debug, obj,
               node_modules/pkg
  decoy-heavy  issue 18's tree: 20 decoy files per app spread over bin/ obj/ node_modules/ and
               1 to 4 folders below them (build outputs, restored packages, nested node_modules;
               half of them named like config files, most mentioning durableTask), apps one
               folder deeper (team/area/app)
  deep         decoy-heavy with apps 4 folders below their team and decoys up to 8 deep
  many-decoys  decoy-heavy with 60 decoys per app
  large        decoy-heavy with larger apps: 40 more logging categories, settings and package
               references in the config files, and 40 ordinary source files per app

Options: --decoys N decoy files per app; --decoy-depth D folders below bin/ obj/ node_modules/;
--nesting D folders between a team and its apps; --app-size N extra entries per config file and
N ordinary source files (not config) per app; --git runs `git init` (otherwise `.git` is an
empty folder, which is all the walk looks for).
"""
import argparse
import os
import random
import subprocess

BACKENDS = ["default", "azure-explicit", "typeless", "mssql", "netherite", "dts"]
HOSTING = ["isolated", "inproc", "python", "node", "java", "powershell"]


def host_json(backend, jsonc, rng):
    sp = {
        "default": None,
        "azure-explicit": '"type": "AzureStorage",\n        "partitionCount": 4',
        "typeless": '"partitionCount": 4,\n        "controlQueueBufferThreshold": 256',
        "mssql": '"type": "mssql",\n        "connectionStringName": "SQLDB_Connection",\n        "createDatabaseIfNotExists": true',
        "netherite": '"type": "Netherite",\n        "StorageConnectionName": "AzureWebJobsStorage",\n        "EventHubsConnectionName": "EventHubsConnection"',
        "dts": '"type": "azureManaged",\n        "connectionStringName": "DURABLE_TASK_SCHEDULER_CONNECTION_STRING"',
    }[backend]
    comma = "," if jsonc else ""
    comment = "      // task hub of this app\n" if jsonc else ""
    hub = '"%TASKHUB_NAME%"' if backend == "dts" else f'"Hub{rng.randint(100, 999)}"'
    provider = f',\n      "storageProvider": {{\n        {sp}{comma}\n      }}' if sp else ""
    return (
        "{\n"
        '  "version": "2.0",\n'
        + ("  // generated app\n" if jsonc else "")
        + '  "logging": {\n    "logLevel": {\n      "default": "Information"'
        + comma
        + "\n    }\n  },\n"
        '  "extensions": {\n'
        '    "durableTask": {\n'
        + comment
        + f'      "hubName": {hub},\n'
        '      "maxConcurrentActivityFunctions": 10'
        + provider
        + comma
        + "\n    }\n  }\n}\n"
    )


def settings(hosting, backend):
    runtime = {"isolated": "dotnet-isolated", "inproc": "dotnet"}.get(hosting, hosting)
    extra = {
        "mssql": '    "SQLDB_Connection": "Server=localhost;Database=x;User Id=sa;Password=Secr3t!",\n',
        "netherite": '    "EventHubsConnection": "SingleHost",\n',
        "dts": '    "DURABLE_TASK_SCHEDULER_CONNECTION_STRING": "Endpoint=http://localhost:8080;Authentication=None",\n    "TASKHUB_NAME": "default",\n',
    }.get(backend, "")
    return (
        '{\n  "IsEncrypted": false,\n  "Values": {\n'
        '    "AzureWebJobsStorage": "UseDevelopmentStorage=true",\n'
        + extra
        + f'    "FUNCTIONS_WORKER_RUNTIME": "{runtime}"\n  }}\n}}\n'
    )


def csproj(hosting, backend, cpm):
    v = (lambda ver: "") if cpm else (lambda ver: f' Version="{ver}"')
    if hosting == "isolated":
        refs = [("Microsoft.Azure.Functions.Worker", "2.52.0"), ("Microsoft.Azure.Functions.Worker.Sdk", "2.0.7"),
                ("Microsoft.Azure.Functions.Worker.Extensions.DurableTask", "1.16.5")]
        pkg = {"mssql": "Microsoft.Azure.Functions.Worker.Extensions.DurableTask.SqlServer",
               "netherite": "Microsoft.Azure.Functions.Worker.Extensions.DurableTask.Netherite",
               "dts": "Microsoft.Azure.Functions.Worker.Extensions.DurableTask.AzureManaged"}.get(backend)
    else:
        refs = [("Microsoft.NET.Sdk.Functions", "4.6.0"), ("Microsoft.Azure.WebJobs.Extensions.DurableTask", "3.13.0")]
        pkg = {"mssql": "Microsoft.DurableTask.SqlServer.AzureFunctions",
               "netherite": "Microsoft.Azure.DurableTask.Netherite.AzureFunctions",
               "dts": "Microsoft.Azure.WebJobs.Extensions.DurableTask.AzureManaged"}.get(backend)
    if pkg:
        refs.append((pkg, "1.8.1"))
    items = "".join(f'    <PackageReference Include="{i}"{v(ver)} />\n' for i, ver in refs)
    return (
        '<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n'
        "    <AzureFunctionsVersion>v4</AzureFunctionsVersion>\n  </PropertyGroup>\n  <ItemGroup>\n"
        + items
        + "  </ItemGroup>\n</Project>\n"
    )


def props():
    items = "".join(
        f'    <PackageVersion Include="{i}" Version="{v}" />\n'
        for i, v in [("Microsoft.Azure.Functions.Worker", "2.52.0"), ("Microsoft.Azure.Functions.Worker.Sdk", "2.0.7"),
                     ("Microsoft.Azure.Functions.Worker.Extensions.DurableTask", "1.16.5"),
                     ("Microsoft.Azure.Functions.Worker.Extensions.DurableTask.AzureManaged", "1.8.1"),
                     ("Microsoft.NET.Sdk.Functions", "4.6.0"), ("Microsoft.Azure.WebJobs.Extensions.DurableTask", "3.13.0")]
    )
    return ('<Project>\n  <PropertyGroup>\n    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>\n'
            "  </PropertyGroup>\n  <ItemGroup>\n" + items + "  </ItemGroup>\n</Project>\n")


def manifest(hosting):
    return {
        "python": ("requirements.txt", "azure-functions\nazure-functions-durable\n"),
        "node": ("package.json", '{\n  "dependencies": {\n    "durable-functions": "^3.1.0"\n  }\n}\n'),
        "java": ("pom.xml", "<project>\n  <artifactId>durabletask-azure-functions</artifactId>\n</project>\n"),
        "powershell": ("requirements.psd1", "@{\n  'AzureFunctions.PowerShell.Durable.SDK' = '2.*'\n}\n"),
    }[hosting]


def write(path, text, crlf=False, bom=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = text.replace("\n", "\r\n") if crlf else text
    with open(path, "wb") as f:
        f.write((b"\xef\xbb\xbf" if bom else b"") + data.encode())


SHAPES = {
    "classic": dict(decoys=None, decoy_depth=1, nesting=0, app_size=0),
    "decoy-heavy": dict(decoys=20, decoy_depth=4, nesting=1, app_size=0),
    "deep": dict(decoys=20, decoy_depth=8, nesting=4, app_size=0),
    "many-decoys": dict(decoys=60, decoy_depth=4, nesting=1, app_size=0),
    "large": dict(decoys=20, decoy_depth=4, nesting=1, app_size=40),
}

# Where decoys go: three chains of folders, one below each folder a correct walk skips (build
# outputs, intermediate files, restored packages), cut to the decoy depth.
DECOY_CHAINS = [
    ("bin", ["Release", "net8.0", "publish", "runtimes", "linux-x64", "lib", "net8.0", "native"]),
    ("obj", ["Debug", "net8.0", "WorkerExtensions", "obj", "Release", "net8.0", "ref", "refint"]),
    ("node_modules", ["durable-functions", "node_modules", "@azure", "functions", "node_modules", "undici", "lib", "web"]),
]
# Decoy files: config names (host.json, project files, manifests, settings) and ordinary build
# outputs; most mention durableTask, so a search that entered these folders would list them.
DECOY_FILES = [
    ("host.json", '{ "version": "2.0", "extensions": { "durableTask": { "hubName": "Decoy" } } }\n'),
    ("App.csproj", "<Project><!-- durableTask decoy --></Project>\n"),
    ("package.json", '{ "name": "decoy", "dependencies": { "durable-functions": "^2.0.0" }, "durableTask": 1 }\n'),
    ("local.settings.json", '{ "Values": { "AzureWebJobsStorage": "UseDevelopmentStorage=true", "durableTask": "" } }\n'),
    ("requirements.txt", "azure-functions-durable  # durableTask\n"),
    ("extensions.csproj", "<Project><!-- durableTask --></Project>\n"),
    ("App.dll", "MZ decoy binary durableTask\n"),
    ("App.deps.json", '{ "runtimeTarget": { "name": ".NETCoreApp,Version=v8.0" } }\n'),
    ("index.js", "module.exports = require('./lib/durableTask');\n"),
    ("project.assets.json", '{ "version": 3, "targets": {} }\n'),
    ("README.md", "# decoy\n"),
    ("worker.config.json", '{ "description": { "language": "dotnet-isolated" } }\n'),
]


def decoys(app, count, depth):
    """count decoy files below app, spread over the three chains and their depth (1 to depth
    folders below the skipped folder); the names cycle, and no folder gets one twice."""
    per_round = len(DECOY_CHAINS) * max(1, depth)
    for i in range(count):
        top, subs = DECOY_CHAINS[i % len(DECOY_CHAINS)]
        level = 1 + (i // len(DECOY_CHAINS)) % max(1, depth)
        name, text = DECOY_FILES[(i + 5 * (i // per_round)) % len(DECOY_FILES)]
        folder = os.path.join(app, top, *[subs[j % len(subs)] for j in range(level)])
        yield os.path.join(folder, name), text


def larger(text, kind, size, a):
    """The text of a config file with size more entries, of shapes real apps have (logging
    categories, settings, unrelated packages)."""
    if size <= 0:
        return text
    if kind == "host":
        extra = "".join(f',\n      "Function.Fn{a}x{i}": "Warning"' for i in range(size))
        return text.replace('"default": "Information"', '"default": "Information"' + extra, 1)
    if kind == "settings":
        extra = "".join(f'    "Setting{i}": "value-{a}-{i}",\n' for i in range(size))
        return text.replace('  "Values": {\n', '  "Values": {\n' + extra, 1)
    if kind == "csproj":
        extra = "".join(f'    <PackageReference Include="Contoso.Lib{i}" Version="1.{i}.0" />\n' for i in range(size))
        return text.replace("  <ItemGroup>\n", "  <ItemGroup>\n" + extra, 1)
    return text


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--apps", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shape", choices=sorted(SHAPES), default="classic")
    ap.add_argument("--decoys", type=int, help="decoy files per app (classic: 6 in 3 folders)")
    ap.add_argument("--decoy-depth", type=int, help="folders below bin/ obj/ node_modules/")
    ap.add_argument("--nesting", type=int, help="folders between a team folder and its apps")
    ap.add_argument("--app-size", type=int, help="extra entries per config file, source files per app")
    ap.add_argument("--git", action="store_true", help="make the root a real git repository (git init)")
    args = ap.parse_args()
    shape = dict(SHAPES[args.shape])
    for key in shape:
        if getattr(args, key) is not None:
            shape[key] = getattr(args, key)
    classic = shape["decoys"] is None
    size = shape["app_size"]
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    if args.git:
        subprocess.run(["git", "init", "-q", args.out], check=True)
    os.makedirs(os.path.join(args.out, ".git"), exist_ok=True)
    write(os.path.join(args.out, ".gitignore"), "bin/\nobj/\nnode_modules/\nlocal.settings.json\n")
    teams = max(1, args.apps // 100)
    made = 0
    for t in range(teams):
        team = os.path.join(args.out, f"team{t:03d}")
        cpm = t % 4 == 0
        if cpm:
            write(os.path.join(team, "Directory.Packages.props"), props())
        # The classic shape drops the remainder of apps // teams (kept, for the same tree).
        per_team = args.apps // teams if classic else (args.apps - made) // (teams - t)
        for a in range(per_team):
            nest = [f"{['area', 'svc', 'group', 'part', 'unit', 'mod'][d % 6]}{(a >> d) % 3}"
                    for d in range(shape["nesting"])]
            app = os.path.join(team, *nest, f"app{a:03d}")
            backend = rng.choice(BACKENDS)
            hosting = rng.choice(HOSTING)
            jsonc, crlf, bom = rng.random() < 0.5, rng.random() < 0.33, rng.random() < 0.2
            write(os.path.join(app, "host.json"), larger(host_json(backend, jsonc, rng), "host", size, a), crlf, bom)
            write(os.path.join(app, "local.settings.json"), larger(settings(hosting, backend), "settings", size, a), crlf)
            if hosting in ("isolated", "inproc"):
                text = larger(csproj(hosting, backend, cpm), "csproj", size, a)
                write(os.path.join(app, f"App{a}.csproj"), text, crlf, bom)
            else:
                name, text = manifest(hosting)
                write(os.path.join(app, name), text)
            ext = {"isolated": "cs", "inproc": "cs", "python": "py", "node": "js", "java": "java"}.get(hosting, "ps1")
            for i in range(size):
                write(os.path.join(app, "src", f"Function{i}.{ext}"), f"// orchestration {i}: durableTask client\n" * 20)
            if classic:
                for decoy in ("bin/Debug", "obj", "node_modules/pkg"):
                    write(os.path.join(app, decoy, "host.json"), "{ not json")
                    write(os.path.join(app, decoy, "App.csproj"), "<Project>")
            else:
                for path, text in decoys(app, shape["decoys"], shape["decoy_depth"]):
                    write(path, text)
            made += 1


if __name__ == "__main__":
    main()
