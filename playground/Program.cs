using Agents.Playground;

return await AgentsCli.InvokeAsync(args, Terminal.FromConsole());
