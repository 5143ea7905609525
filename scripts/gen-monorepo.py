#!/usr/bin/env python3
"""Writes a generated monorepo of Azure Functions apps for benchmarks and robustness runs.

Usage: gen-monorepo.py OUT_DIR [--apps N] [--seed S]

Each app gets host.json (every backend: Azure Storage default/explicit/typeless, MSSQL,
Netherite, DTS; about half JSONC with comments and trailing commas, a third CRLF, a fifth with
a BOM), local.settings.json, and a project file or language manifest for its hosting model
(.NET isolated, in-process, Python, Node, Java, PowerShell). Some team folders use Central
Package Management (Directory.Packages.props). The root is a git repository whose .gitignore
lists local.settings.json, and every app holds decoy bin/ obj/ node_modules/ folders with files
of the same names, which a correct walk never reads.
"""
import argparse
import os
import random

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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--apps", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    os.makedirs(os.path.join(args.out, ".git"), exist_ok=True)
    write(os.path.join(args.out, ".gitignore"), "bin/\nobj/\nnode_modules/\nlocal.settings.json\n")
    teams = max(1, args.apps // 100)
    for t in range(teams):
        team = os.path.join(args.out, f"team{t:03d}")
        cpm = t % 4 == 0
        if cpm:
            write(os.path.join(team, "Directory.Packages.props"), props())
        for a in range(args.apps // teams):
            app = os.path.join(team, f"app{a:03d}")
            backend = rng.choice(BACKENDS)
            hosting = rng.choice(HOSTING)
            jsonc, crlf, bom = rng.random() < 0.5, rng.random() < 0.33, rng.random() < 0.2
            write(os.path.join(app, "host.json"), host_json(backend, jsonc, rng), crlf, bom)
            write(os.path.join(app, "local.settings.json"), settings(hosting, backend), crlf)
            if hosting in ("isolated", "inproc"):
                write(os.path.join(app, f"App{a}.csproj"), csproj(hosting, backend, cpm), crlf, bom)
            else:
                name, text = manifest(hosting)
                write(os.path.join(app, name), text)
            for decoy in ("bin/Debug", "obj", "node_modules/pkg"):
                write(os.path.join(app, decoy, "host.json"), "{ not json")
                write(os.path.join(app, decoy, "App.csproj"), "<Project>")


if __name__ == "__main__":
    main()
