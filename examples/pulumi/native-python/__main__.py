"""Antryk workspace access from a Python Pulumi program, with the native antryk provider.

The Python SDK is generated from the provider's schema (see README.md here):
    pulumi package add <path to antryk-access>/provider/native
which runs `pulumi package gen-sdk` and installs `pulumi_antryk` into this project.
"""

import pulumi
import pulumi_antryk as antryk

config = pulumi.Config()

# acme-prod as a whole from the access.yaml the CLI plans and applies (default provider:
# `pulumi config set antryk:apiUrl …` and `pulumi config set --secret antryk:token …`).
prod = antryk.WorkspaceAccess(
    "acme-prod",
    workspace="acme-prod",
    file="../../access.yaml",
)

# acme-sandbox person by person, through its own provider instance and token.
sandbox = antryk.Provider(
    "sandbox",
    api_url=config.get("sandboxApiUrl") or "https://api.antryk.com",
    token=config.require_secret("sandboxToken"),
)

release_manager = antryk.CustomRole(
    "sandbox-release-manager",
    workspace="acme-sandbox",
    role_name="release-manager",
    description="Ships services to the sandbox",
    permissions=["deployments:read", "deployments:create", "logs:read"],
    opts=pulumi.ResourceOptions(provider=sandbox),
)

dana = antryk.Member(
    "sandbox-dana",
    workspace="acme-sandbox",
    email="dana@acme.io",
    role=release_manager.role_name,
    permissions=["config:read"],
    opts=pulumi.ResourceOptions(provider=sandbox),
)

pulumi.export("prodDrift", prod.drift)
pulumi.export("danaStatus", dana.status)
