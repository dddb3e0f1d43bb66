//! user add|list|disable|reset-password and token create.

use super::open_store;
use crate::cli::{MunicipalityCommand, TokenCommand, UserCommand};
use crate::config::Config;
use anyhow::{Context, bail};
use husly_domain::authz::Role;
use husly_store::audit::Actor;
use std::process::ExitCode;

fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    if password.is_empty() {
        bail!("no password on standard input");
    }
    Ok(password)
}

pub async fn run(config: &Config, command: UserCommand) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    match command {
        UserCommand::Add {
            municipality,
            email,
            role,
            name,
            ..
        } => {
            let role = Role::from_code(&role).with_context(|| {
                let all: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
                format!("unknown role {role:?}; choose one of {}", all.join(", "))
            })?;
            let municipality = store
                .municipality_by_number(&municipality)
                .await?
                .with_context(|| format!("no municipality with kommunenummer {municipality:?} (create it with `husly seed` or `husly serve --demo`)"))?;
            let password = read_password()?;
            let actor = Actor::cli("user administration");
            let user = match store.user_by_email(&email).await {
                Ok(existing) => {
                    eprintln!(
                        "{email} already exists: adding the role; the password is unchanged (use reset-password)"
                    );
                    existing.id
                }
                Err(husly_store::StoreError::NotFound) => {
                    store
                        .create_user(&email, name.as_deref().unwrap_or(&email), &password, &actor)
                        .await?
                }
                Err(e) => return Err(e.into()),
            };
            store.grant_role(user, municipality.id, role, &actor).await?;
            println!(
                "{email} has the role {} in {} {}",
                role.code(),
                municipality.number,
                municipality.name
            );
        }
        UserCommand::List => {
            let municipalities = store.municipalities().await?;
            for user in store.users(None).await? {
                let roles: Vec<String> = user
                    .roles
                    .iter()
                    .flat_map(|(m, roles)| {
                        let number = municipalities
                            .iter()
                            .find(|x| x.id == *m)
                            .map_or("?", |x| x.number.as_str())
                            .to_string();
                        roles.iter().map(move |r| format!("{number}:{}", r.code()))
                    })
                    .collect();
                let status = if user.disabled { "disabled" } else { "active" };
                println!("{}\t{}\t{}\t{}", user.email, user.display_name, status, roles.join(","));
            }
        }
        UserCommand::Disable { email } => {
            let user = store
                .user_by_email(&email)
                .await
                .with_context(|| format!("no user {email}"))?;
            store
                .set_user_disabled(user.id, true, None, &Actor::cli("user administration"))
                .await?;
            println!("{email} is disabled and logged out everywhere");
        }
        UserCommand::ResetPassword { email, .. } => {
            let user = store
                .user_by_email(&email)
                .await
                .with_context(|| format!("no user {email}"))?;
            let password = read_password()?;
            store
                .set_password(user.id, &password, None, &Actor::cli("user administration"))
                .await?;
            println!("password changed for {email}; their sessions are ended");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn token(config: &Config, command: TokenCommand) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    match command {
        TokenCommand::Create { user, name } => {
            let found = store
                .user_by_email(&user)
                .await
                .with_context(|| format!("no user {user}"))?;
            let (_, secret) = store
                .create_token(found.id, &name, None, &Actor::cli("token administration"))
                .await?;
            println!("{secret}");
            eprintln!("Store this token now; it cannot be shown again.");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn municipality(config: &Config, command: MunicipalityCommand) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    match command {
        MunicipalityCommand::Add { number, name } => {
            let name = name.trim();
            if name.is_empty() {
                bail!("--name must not be empty");
            }
            if let Some(existing) = store.municipality_by_number(&number).await? {
                bail!("kommunenummer {number} already exists as {}", existing.name);
            }
            let m = store
                .ensure_municipality(&number, name, false, &Actor::cli("municipality administration"))
                .await?;
            println!("added {} {}", m.number, m.name);
        }
        MunicipalityCommand::List => {
            for m in store.municipalities().await? {
                println!("{}\t{}{}", m.number, m.name, if m.is_demo { "\t(demo)" } else { "" });
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
